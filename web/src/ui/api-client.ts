// The web app's one instance of the typed client: same origin, session cookie, and the CSRF
// token it learns from sign-in and getSession kept inside it. A 401 from any other request means
// the session ended (signed out in another tab, timed out): listeners hear of it, and the app
// goes to sign-in and comes back afterwards.
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

async function fetchNoticingEndedSessions(input: string, init?: RequestInit): Promise<Response> {
  const response = await globalThis.fetch(input, init);
  // The web app's client asks by path ("/api/v1/…"), never by whole URL.
  const path = input.split(/[?#]/)[0] ?? input;
  if (response.status === 401 && !ANSWERS_WITH_401.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
    for (const listener of sessionEndedListeners) listener();
  }
  return response;
}

export const client = createClient({ baseUrl: "", fetch: fetchNoticingEndedSessions });
