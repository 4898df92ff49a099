// What a test asks of a finished `watchword` run: a failure in one line, or a reply as JSON.
import { expect } from "vitest";
import type { CliResult } from "./cli.js";

/** A failed run: the exit code, nothing on stdout, and exactly one line on stderr. */
export function expectFailure(result: CliResult, exitCode: number, pattern: RegExp): void {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: exitCode, stdout: "" });
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^watchword: /);
  expect(lines[0]).toMatch(pattern);
}

/** A successful run's standard output, parsed: exit code 0 and nothing on stderr. */
export const json = <T>(result: CliResult): T => {
  expect([result.code, result.stderr]).toEqual([0, ""]);
  return JSON.parse(result.stdout) as T;
};
