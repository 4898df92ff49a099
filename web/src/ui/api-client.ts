// The web app's one instance of the typed client: same origin, session cookie, and the CSRF
// token it learns from sign-in and getSession kept inside it. A 401 from any other request means
// the session ended (signed out in another tab, timed out): listeners hear of it, and the app
// goes to sign-in and comes back afterwards. A change to the user's second factors (an app, a
// passkey, a push device, recovery codes) is told to listeners too, so that what counts them (the
// two-step verification status) asks the server again, whichever panel made the change.
import { createClient } from "../../../src/client/client.js";

export { ApiError } from "../../../src/client/client.js";

const sessionEndedListeners = new Set<() => void>();

/** Called whenever a request is refused because its session is gone; returns the unsubscribe. */
export function onSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

// Here a 401 answers the question itself (wrong password, nobody signed in, no setup yet).
const ANSWERS_WITH_401 = ["/api/v1/auth/sign-in", "/api/v1/auth/passkey/verify", "/api/v1/session", "/api/v1/setup"];

const secondFactorListeners = new Set<() => void>();

/** Called after every change the server accepted to the user's second factors; returns the unsubscribe. */
export function onSecondFactorsChanged(listener: () => void): () => void {
  secondFactorListeners.add(listener);
  return () => secondFactorListeners.delete(listener);
}

const SECOND_FACTOR_PATHS = ["/api/v1/account/mfa", "/api/v1/account/passkeys", "/api/v1/account/push-devices", "/api/v1/account/recovery-codes"];

async function fetchNoticingEndedSessions(input: string, init?: RequestInit): Promise<Response> {
  const response = await globalThis.fetch(input, init);
  // The web app's client asks by path ("/api/v1/…"), never by whole URL.
  const path = input.split(/[?#]/)[0] ?? input;
  const isChange = (init?.method ?? "GET").toUpperCase() !== "GET";
  if (isChange && response.ok && SECOND_FACTOR_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
    for (const listener of secondFactorListeners) listener();
  }
  if (response.status === 401 && !ANSWERS_WITH_401.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
    for (const listener of sessionEndedListeners) listener();
  }
  return response;
}

export const client = createClient({ baseUrl: "", fetch: fetchNoticingEndedSessions });
