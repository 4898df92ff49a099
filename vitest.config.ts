import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A test may sign an administrator in several times within one 30-second TOTP step: the test
    // authenticator (test/support/admin-authenticator.ts) then waits up to a step for a code the
    // server has not accepted yet (it never accepts one twice), as a person would.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Integration and end-to-end files start servers and browsers and spend much of their time
    // waiting on them (processes starting, TOTP steps turning): three files at a time on 2 cores.
    fileParallelism: true,
    maxWorkers: 3,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
