// The web app's one instance of the typed client: same origin, session cookie, and the CSRF
// token it learns from sign-in and getSession kept inside it.
import { createClient } from "../../../src/client/client.js";

export { ApiError } from "../../../src/client/client.js";
export const client = createClient({ baseUrl: "" });
