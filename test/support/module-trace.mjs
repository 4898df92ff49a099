// Preloaded into a process under test (`node --import …/module-trace.mjs`): at exit, writes every
// module it loaded, one per line, to the file named by MODULE_TRACE_FILE — modules resolved through
// import (module-trace-hooks.mjs), CommonJS files required from those, and Node's own built-ins
// (process.moduleLoadList, where the built-in fetch shows up as internal/deps/undici).
import { writeFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";

const traceFile = process.env.MODULE_TRACE_FILE;
if (traceFile === undefined) throw new Error("module-trace.mjs needs MODULE_TRACE_FILE");

const loaded = new Set();
const { port1, port2 } = new MessageChannel();
register("./module-trace-hooks.mjs", { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });

process.on("exit", () => {
  // Drained synchronously here: a module is resolved before it runs, so its message is queued by now.
  for (let message = receiveMessageOnPort(port1); message !== undefined; message = receiveMessageOnPort(port1)) loaded.add(String(message.message));
  for (const file of Object.keys(createRequire(import.meta.url).cache)) loaded.add(`file://${file}`);
  for (const builtin of process.moduleLoadList) loaded.add(`builtin:${builtin}`);
  writeFileSync(traceFile, [...loaded].join("\n") + "\n");
});
