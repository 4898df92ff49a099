// An administrator's sign-in for the benchmarks, as a person makes it: once another enabled user
// exists, an administrator must have a second factor, so the first sign-in (a session that may only
// enrol) adds an authenticator app through the API and keeps its key in `keyFile`; later sign-ins
// answer the second step with that app's code. The key file lives beside the kept bench data.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as OTPAuth from "otpauth";

const STEP_MS = 30_000;
/** The last step answered per key file: the server never accepts it, or an older one, again. */
const lastSteps = new Map();

/**
 * A code the server accepts now: the oldest step of its ±1 window not answered yet, unless it lapses
 * within 5 s (the request could reach the server after the boundary), waiting for the next one if
 * all were. test/support/admin-authenticator.ts (chooseStep) does the same for the tests; the
 * benchmarks run plain JavaScript against dist/ and cannot import that TypeScript.
 */
async function nextCode(seed, keyFile) {
  const now = Date.now();
  const current = Math.floor(now / STEP_MS);
  let step = Math.max(current - 1, (lastSteps.get(keyFile) ?? -1) + 1);
  if ((step + 2) * STEP_MS - now < 5_000) step += 1;
  if (step > current + 1) await new Promise((resolve) => setTimeout(resolve, (step - 1) * STEP_MS - now + 50));
  lastSteps.set(keyFile, step);
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(seed), digits: 6, period: 30 }).generate({ timestamp: step * STEP_MS });
}

/**
 * Signs `username` in for the CLI and returns the bearer token, enrolling an authenticator app
 * first when the server asks for one (the key is written to `keyFile`, mode 0600).
 * @param {(options: { baseUrl: string, token?: string }) => any} createClient the compiled client's createClient
 * @param {string} origin
 * @param {{ username: string, password: string, keyFile: string }} who
 * @returns {Promise<string>}
 */
export async function signInAdministrator(createClient, origin, { username, password, keyFile }) {
  const first = await createClient({ baseUrl: origin }).startSignIn({ username, password, client: "cli" });
  if (first.status === "mfa_required") {
    if (!existsSync(keyFile)) throw new Error(`${username} has a second factor but ${keyFile} holds no key: generate the bench data again.`);
    const seed = readFileSync(keyFile, "utf8").trim();
    const reply = await createClient({ baseUrl: origin }).finishSignIn({ method: "totp", code: await nextCode(seed, keyFile), client: "cli", challengeToken: first.challengeToken });
    return reply.token;
  }
  if (first.session.secondFactorEnrolment === undefined) return first.token;
  const client = createClient({ baseUrl: origin, token: first.token });
  const enrolment = await client.startTotpEnrolment();
  const seed = enrolment.manualKey.replaceAll(" ", "");
  writeFileSync(keyFile, `${seed}\n`, { mode: 0o600 });
  await client.confirmTotpEnrolment(enrolment.factorId, { code: await nextCode(seed, keyFile), name: "Bench authenticator" });
  // The same session, no longer restricted now that the administrator holds a second factor.
  return first.token;
}
