// Module hooks for module-trace.mjs: every module resolved, ESM or CommonJS loaded through an
// import, is posted back to the main thread, which writes the list down at exit.
/** @type {import("node:worker_threads").MessagePort} */
let port;

/** @param {{ port: import("node:worker_threads").MessagePort }} data */
export function initialize(data) {
  port = data.port;
}

/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  port.postMessage(resolved.url);
  return resolved;
}
