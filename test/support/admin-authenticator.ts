// Test users' authenticator apps: administrators must have a second factor once other users exist
// (issue 10), so a test that signs one in then enrols TOTP through the API and answers the sign-in's
// second step here. Codes come from the clock of the server they are for (registered per base URL
// by startTestApp), never from real time when that server runs on a test clock.
import * as OTPAuth from "otpauth";
import { ApiError, createClient, type WatchwordClient } from "../../src/client/client.js";
import type { SignInReply } from "../../src/contract/auth.js";
import { ManualClock, systemClock, type Clock } from "../../src/core/clock.js";

const STEP_MS = 30_000;
/** RFC 6238 §5.2 as the server applies it: one step of drift either way. */
const DRIFT_STEPS = 1;
/** How long before it lapses a code is still given (a request's time to the server under load). */
const LAPSE_MARGIN_MS = 5_000;

const clocks = new Map<string, Clock>();
/** startTestApp tells which clock its server reads; a server without one (a spawned process) runs on real time. */
export function registerServerClock(url: string, clock: Clock): void {
  clocks.set(url, clock);
}
export const serverClockOf = (url: string): Clock => clocks.get(url) ?? systemClock;

interface Authenticator {
  readonly seed: string;
  /** The last step this helper answered with: the server never accepts it, or an older one, again. */
  lastStep: number;
}
const authenticators = new Map<string, Authenticator>();
/** The one enrolled last for a username: another node on the same database asks for it under its own address. */
const latestByUsername = new Map<string, Authenticator>();
const keyOf = (url: string, username: string): string => `${url} ${username.toLowerCase()}`;
const authenticatorOf = (url: string, username: string): Authenticator | undefined => authenticators.get(keyOf(url, username)) ?? latestByUsername.get(username.toLowerCase());

export const hasAuthenticator = (url: string, username: string): boolean => authenticatorOf(url, username) !== undefined;

/**
 * The step whose code to give at `now` after `lastStep` was given: the oldest of the drift window
 * not given yet, and `waitMs` until the server accepts it (0 when it does now). A step's code is
 * accepted until that step is more than DRIFT_STEPS behind; on a clock that moves by itself
 * (`movesByItself`) one about to lapse is passed over for the next, since the request that carries
 * it may reach the server after the boundary (seen in CI under load: an enrolment's first code,
 * the oldest step of the window, refused).
 */
export function chooseStep(now: number, lastStep: number, movesByItself: boolean): { step: number; waitMs: number } {
  const current = Math.floor(now / STEP_MS);
  let step = Math.max(current - DRIFT_STEPS, lastStep + 1);
  if (movesByItself && (step + DRIFT_STEPS + 1) * STEP_MS - now < LAPSE_MARGIN_MS) step += 1;
  return { step, waitMs: step > current + DRIFT_STEPS ? (step - DRIFT_STEPS) * STEP_MS - now : 0 };
}

/**
 * A code the server will accept now. When all three steps of the window were used, a clock that
 * follows real time is waited for and a ManualClock moved on (as a person would wait for the next code).
 */
export async function nextAuthenticatorCode(url: string, username: string): Promise<string> {
  const authenticator = authenticatorOf(url, username);
  if (authenticator === undefined) throw new Error(`No test authenticator for ${username} at ${url}: enrol one with enrolAuthenticator first.`);
  const clock = serverClockOf(url);
  const { step, waitMs } = chooseStep(clock.now(), authenticator.lastStep, !(clock instanceof ManualClock));
  if (waitMs > 0) {
    // A clock that moves only when told is moved to that step's start (the least time that works).
    if (clock instanceof ManualClock) clock.advance(waitMs);
    else await new Promise((resolve) => setTimeout(resolve, waitMs + 50));
  }
  authenticator.lastStep = step;
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(authenticator.seed), digits: 6, period: 30 }).generate({ timestamp: step * STEP_MS });
}

/** Enrols an authenticator app for the user `client` is signed in as (a session that may only enrol will do). */
export async function enrolAuthenticator(url: string, client: WatchwordClient, username: string, password: string): Promise<void> {
  let enrolment;
  try {
    enrolment = await client.startTotpEnrolment();
  } catch (error) {
    // The sudo window a fresh sign-in opens may have passed on a test clock.
    if (!(error instanceof ApiError) || error.key !== "reauthentication_required") throw error;
    await client.reauthenticate({ password });
    enrolment = await client.startTotpEnrolment();
  }
  const authenticator = { seed: enrolment.manualKey.replaceAll(" ", ""), lastStep: -1 };
  authenticators.set(keyOf(url, username), authenticator);
  latestByUsername.set(username.toLowerCase(), authenticator);
  await client.confirmTotpEnrolment(enrolment.factorId, { code: await nextAuthenticatorCode(url, username), name: "Test authenticator" });
}

/**
 * Signs `client` in as `username`, answering the second step with the test authenticator, and
 * enrols one first when the session may only enrol (an administrator once other users exist). The
 * CLI's bearer token is in the reply; a browser-like client keeps its cookie.
 */
export async function signInWithAuthenticator(
  url: string,
  client: WatchwordClient,
  credentials: { readonly username: string; readonly password: string; readonly client?: "cli" | "browser"; readonly deviceToken?: string },
): Promise<SignInReply> {
  const { username, password } = credentials;
  const kind = credentials.client === undefined ? {} : { client: credentials.client };
  // The CLI sends its device token with both steps, so that the second keeps it in use.
  const device = credentials.deviceToken === undefined ? {} : { deviceToken: credentials.deviceToken };
  const first = await client.startSignIn({ username, password, ...kind, ...device });
  const reply =
    first.status === "signed_in"
      ? first
      : await client.finishSignIn({ method: "totp", code: await nextAuthenticatorCode(url, username), ...kind, ...device, ...(first.challengeToken === undefined ? {} : { challengeToken: first.challengeToken }) });
  if (reply.session.secondFactorEnrolment === undefined) return reply;
  const signedIn = reply.token === undefined ? client : createClient({ baseUrl: url, token: reply.token });
  await enrolAuthenticator(url, signedIn, username, password);
  // The same session, no longer restricted now that the user holds a method that counts.
  return { ...reply, session: await signedIn.getSession() };
}

/** A client signed in as `username` with a bearer token, through the test authenticator when they have one or must enrol. */
export async function signedInApiClient(url: string, username: string, password: string): Promise<WatchwordClient & { token: string }> {
  const reply = await signInWithAuthenticator(url, createClient({ baseUrl: url }), { username, password, client: "cli" });
  const token = reply.token!;
  return Object.assign(createClient({ baseUrl: url, token }), { token });
}

/** Sudo mode again: the password, and the test authenticator's code when the user has one. */
export async function reauthenticateWithAuthenticator(url: string, client: WatchwordClient, username: string, password: string): Promise<void> {
  if (!hasAuthenticator(url, username)) return void (await client.reauthenticate({ password }));
  await client.reauthenticate({ password, method: "totp", code: await nextAuthenticatorCode(url, username) });
}
