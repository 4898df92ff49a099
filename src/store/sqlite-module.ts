// Loads better-sqlite3 in the build that is safe for the running Node.js.
//
// better-sqlite3 12 (V8 API) is the only line that runs on Node 20, but on Node 24 its Statement
// destructor can run after Node has torn down its environment and abort the process
// ("Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook, WiseLibs/better-sqlite3#1515).
// better-sqlite3 13 (N-API, prebuilt in its package) fixes that but needs Node 22+ (it crashes on 20).
// So both are installed (13 under the alias better-sqlite3-n22, 12 as an optional dependency whose
// native build may be skipped where it is not needed) and the running Node picks one, here only.
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

const require = createRequire(import.meta.url);

export const sqliteModuleName = Number(process.versions.node.split(".")[0]) >= 22 ? "better-sqlite3-n22" : "better-sqlite3";

let loaded: typeof BetterSqlite3 | undefined;

export function loadSqlite(): typeof BetterSqlite3 {
  loaded ??= require(sqliteModuleName) as typeof BetterSqlite3;
  return loaded;
}

export type SqliteConnection = BetterSqlite3.Database;
