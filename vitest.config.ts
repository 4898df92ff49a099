import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and end-to-end files start servers and browsers and spend much of their time
    // waiting on them (processes starting, TOTP steps turning): three files at a time on 2 cores.
    fileParallelism: true,
    maxWorkers: 3,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
