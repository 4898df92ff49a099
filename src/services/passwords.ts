// Password hashing with argon2id at OWASP's parameters (m=19 MiB, t=2, p=1).
import argon2 from "argon2";
import type { Secret } from "../core/secret.js";

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: Secret): Promise<string> => argon2.hash(password.reveal(), OPTIONS);

export async function verifyPassword(hash: string, password: Secret): Promise<boolean> {
  try {
    return await argon2.verify(hash, password.reveal());
  } catch {
    // A malformed stored hash is a failed verification, never an error that names the hash.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same time as a real verification, for sign-ins with an unknown username, so that
 * timing does not tell which usernames exist (ASVS 5.0 6.3.8).
 */
export async function verifyAgainstDummy(password: Secret): Promise<false> {
  dummyHash ??= argon2.hash("watchword timing equaliser", OPTIONS);
  await verifyPassword(await dummyHash, password);
  return false;
}
