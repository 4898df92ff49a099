// Reads what module-trace.mjs wrote: which packages, project directories (of dist/node) and Node
// built-ins a traced process loaded. Preload the tracer with `node --import TRACER`.
import fs from "node:fs/promises";
import path from "node:path";

export const TRACER = path.resolve("test/support/module-trace.mjs");

export interface LoadedModules {
  readonly packages: ReadonlySet<string>;
  readonly projectDirectories: ReadonlySet<string>;
  readonly builtins: ReadonlySet<string>;
}

export function parseTrace(text: string): LoadedModules {
  const packages = new Set<string>();
  const projectDirectories = new Set<string>();
  const builtins = new Set<string>();
  for (const line of text.split("\n")) {
    const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line)?.[1];
    if (pkg !== undefined) packages.add(pkg);
    const dir = /\/dist\/node\/(.+)\/[^/]+\.js$/.exec(line)?.[1];
    if (dir !== undefined && !line.includes("/node_modules/")) projectDirectories.add(dir);
    if (line.startsWith("builtin:NativeModule ")) builtins.add(line.slice("builtin:NativeModule ".length));
  }
  return { packages, projectDirectories, builtins };
}

export const readTrace = async (file: string): Promise<LoadedModules> => parseTrace(await fs.readFile(file, "utf8"));
