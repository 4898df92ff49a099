// Compares the engine with OATH Toolkit's oathtool (an independent C implementation of RFC 4226
// and RFC 6238) over thousands of random seeds. Each case asks oathtool for a window of
// consecutive codes in one call, and one shell runs a whole batch of calls, so tens of thousands
// of codes cost a few node spawns. oathtool supports 6 to 8 digits; 9 and 10 are compared with
// otpauth and an independent computation in generate.test.ts.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateHotp, generateTotp } from "../../../src/core/otp/generate.js";
import type { OtpAlgorithm } from "../../../src/core/otp/types.js";
import { makeOtp } from "./reference.js";

const run = promisify(execFile);
/** OATHTOOL=/path/to/oathtool picks another build (or, pointing nowhere, rehearses the skip). */
const oathtoolCommand = process.env.OATHTOOL ?? "oathtool";
const isOathtoolInstalled = spawnSync(oathtoolCommand, ["--version"], { stdio: "ignore" }).status === 0;
const isCi = process.env.CI === "true";
const skipNote = isOathtoolInstalled ? "" : " — SKIPPED: oathtool is not installed (apt-get install oathtool)";
const window = 40; // oathtool prints window + 1 codes
/** oathtool calls per shell; fast-check shrinks within a failing batch. */
const batchSize = 50;

const keyArbitrary = fc.uint8Array({ minLength: 1, maxLength: 160 });
const algorithmArbitrary = fc.constantFrom<OtpAlgorithm>("SHA1", "SHA256", "SHA512");
const digitsArbitrary = fc.integer({ min: 6, max: 8 });

/** Runs one oathtool call per argument list in a single shell and returns each call's codes. */
async function oathtoolBatch(calls: readonly string[][]): Promise<string[][]> {
  const separator = "--- next ---";
  const script = calls.map((args) => `'${oathtoolCommand}' ${args.map((arg) => `'${arg}'`).join(" ")} || echo FAILED; echo '${separator}'`).join("\n");
  const { stdout } = await run("sh", ["-c", script], { maxBuffer: 16 * 1024 * 1024 });
  const outputs = stdout.split(`${separator}\n`).slice(0, calls.length);
  return outputs.map((output) => output.trim().split("\n"));
}

describe.concurrent("the engine against oathtool", () => {
  it("finds oathtool, which CI=true requires (elsewhere a missing one only skips the comparison)", () => {
    if (isCi && !isOathtoolInstalled) expect.fail(`oathtool (${oathtoolCommand}) is not installed, and CI=true requires the comparison to run: apt-get install oathtool.`);
  });

  it.skipIf(!isOathtoolInstalled)(`agrees on TOTP codes for 1,500 random seeds, algorithms, digits, periods and times${skipNote}`, async () => {
    const totpCase = fc.record({
      key: keyArbitrary,
      algorithm: algorithmArbitrary,
      digits: digitsArbitrary,
      period: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 86_400 })),
      seconds: fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 2 ** 35 })),
      millisecond: fc.integer({ min: 0, max: 999 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(totpCase, { minLength: batchSize, maxLength: batchSize }), async (cases) => {
        const expected = await oathtoolBatch(
          cases.map(({ key, algorithm, digits, period, seconds }) => [
            `--totp=${algorithm}`, "-d", String(digits), "-s", `${period}s`, "-N", `@${seconds}`, "-w", String(window), Buffer.from(key).toString("hex"),
          ]),
        );
        cases.forEach(({ key, algorithm, digits, period, seconds, millisecond }, i) => {
          const otp = makeOtp(key, { algorithm, digits, period });
          const ours = Array.from({ length: window + 1 }, (_, k) => generateTotp(otp, (seconds + k * period) * 1000 + millisecond).code);
          expect(ours).toEqual(expected[i]);
        });
      }),
      { numRuns: 1500 / batchSize },
    );
  });

  it.skipIf(!isOathtoolInstalled)(`agrees on HOTP codes for 1,000 random seeds, algorithms, digits and counters up to 2^53${skipNote}`, async () => {
    const hotpCase = fc.record({
      key: keyArbitrary,
      algorithm: algorithmArbitrary,
      digits: digitsArbitrary,
      counter: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 ** 32 + 1000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - window })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(hotpCase, { minLength: batchSize, maxLength: batchSize }), async (cases) => {
        // oathtool's HOTP mode is SHA-1 only (--totp=MODE picks the hash), so other algorithms
        // are compared through TOTP with a 1-second step at time = counter.
        const expected = await oathtoolBatch(
          cases.map(({ key, algorithm, digits, counter }) => {
            const hex = Buffer.from(key).toString("hex");
            return algorithm === "SHA1"
              ? ["--hotp", "-d", String(digits), "-c", String(counter), "-w", String(window), hex]
              : [`--totp=${algorithm}`, "-d", String(digits), "-s", "1s", "-N", `@${counter}`, "-w", String(window), hex];
          }),
        );
        cases.forEach(({ key, algorithm, digits, counter }, i) => {
          const otp = makeOtp(key, { type: "hotp", algorithm, digits });
          expect(Array.from({ length: window + 1 }, (_, k) => generateHotp(otp, counter + k))).toEqual(expected[i]);
        });
      }),
      { numRuns: 1000 / batchSize },
    );
  });
});
