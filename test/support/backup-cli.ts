// The local backup verbs as a test runs them: the test database's CLI flags, and the shape of a refusal.
import { expect } from "vitest";
import type { CliResult } from "./cli.js";
import { TEST_DATABASE_URL, type TestDatabase } from "./databases.js";

/** The database URL a CLI process uses: the test's own schema through the URL's options. */
export const cliDatabaseArgs = (db: TestDatabase): string[] =>
  db.kind === "sqlite" ? ["--data-dir", db.dataDir] : ["--data-dir", db.dataDir, "--database-url", `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.postgresSchema}`)}`];

/** A failed run: the exit code is non-zero, nothing on stdout, one line on stderr. */
export function expectOneLineFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr).not.toBe(0);
  expect(result.stdout).toBe("");
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}
