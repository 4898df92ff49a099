// The package's version, read once from package.json.
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "./config.js";

let version: string | undefined;
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
  return version;
}
