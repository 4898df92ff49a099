// The tests' CLI runner: a command that exits before reading its standard input (here --version,
// given 8 MiB it never reads) is reported by its exit code and output, not by a broken pipe that
// would crash the test run (EPIPE was an uncaught exception in a full run).
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

describe("runCli", () => {
  it("reports a command that exits without reading its input", async () => {
    const result = await runCli(["--version"], { input: "x".repeat(8 * 1024 * 1024) });
    expect([result.code, result.stderr]).toEqual([0, ""]);
    expect(result.stdout).toMatch(/\d+\.\d+\.\d+/);
  });
});
