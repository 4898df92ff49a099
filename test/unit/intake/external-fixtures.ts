// Access to the real export files other projects wrote (../shared/fixtures/external, see its
// README for sources and commits). Tests that read them run whenever the folder exists, must run
// under CI=true, and say plainly on stderr that they were skipped otherwise.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ImportedEntry, ImportPreview } from "../../../src/core/intake/import-file.js";

export const FIXTURES = path.resolve("../shared/fixtures/external");
export const hasFixtures = existsSync(FIXTURES);

if (!hasFixtures && process.env.CI === "true") {
  throw new Error(`The external fixtures are required under CI=true but ${FIXTURES} does not exist.`);
}
/** describe() when the fixtures exist; otherwise one failing test that says where they must be (a skipped test proves nothing). */
export function describeWithFixtures(title: string, body: () => void): void {
  if (hasFixtures) describe(title, body);
  else describe(title, () => it(`needs ${FIXTURES} (run from a clone inside the shared workspace)`, () => expect(hasFixtures).toBe(true)));
}

export function readFixture(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, relative)));
}

/** Everything an entry says, the secret as hex, for comparing one import with another. */
export function summarize(entry: ImportedEntry): Record<string, unknown> {
  const { otp, ...rest } = entry;
  return { ...rest, otp: { ...otp, secret: otp.secret.reveal().toString("hex") } };
}

/** The OTP parameters and labels only, keyed by secret: what must agree across formats. */
export function bySecret(preview: ImportPreview): Map<string, Record<string, unknown>> {
  return new Map(
    preview.entries.map((entry) => {
      const { type, algorithm, digits, period, counter } = entry.otp;
      const secret = entry.otp.secret.reveal().toString("hex");
      return [secret, { issuer: entry.issuer, account: entry.account, type, algorithm, digits, period, counter }];
    }),
  );
}
