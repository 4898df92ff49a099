// A session opened for a user who must still enrol a second factor (mfa-enforcement.ts) may only
// enrol: these routes answer it, every other API route refuses it with 403
// second_factor_enrolment_required. The web app's files are not API routes and load as usual.
import type { FastifyInstance } from "fastify";
import { forbidden, problem } from "../core/errors.js";

/**
 * "METHOD /route" that an enrolling session may call: who am I, sign out, sudo mode, enrolling,
 * and the rest of issue 10's "Configure" flow that a password alone already protects: the
 * recovery method (added in sudo mode and confirmed by a code sent to it; a recovery it opens
 * still waits for an administrator or a waiting period) and the person's own sessions (seeing
 * them and signing them out only ever takes access away). The password, entries and everything
 * else wait for the second factor.
 */
export const ENROLMENT_ROUTES: ReadonlySet<string> = new Set([
  "GET /api/v1/session",
  "POST /api/v1/auth/sign-out",
  "POST /api/v1/auth/reauthenticate",
  "GET /api/v1/account",
  "GET /api/v1/account/mfa",
  "POST /api/v1/account/mfa/totp",
  "POST /api/v1/account/mfa/totp/:id/confirm",
  "GET /api/v1/account/recovery-codes",
  "POST /api/v1/account/recovery-codes",
  "GET /api/v1/account/passkeys",
  "POST /api/v1/account/passkeys/options",
  "POST /api/v1/account/passkeys",
  // Push approval as the method: this browser registers itself (sudo mode, which the sign-in opened).
  "GET /api/v1/account/push-devices",
  "POST /api/v1/account/push-devices",
  // The recovery method, and a recovery of the account under way that its owner did not ask for.
  "GET /api/v1/account/recovery-method",
  "POST /api/v1/account/recovery-method",
  "POST /api/v1/account/recovery-method/confirm",
  "DELETE /api/v1/account/recovery-method",
  "POST /api/v1/account/recovery/cancel",
  // Where the person is signed in, and signing out there.
  "GET /api/v1/account/sessions",
  "DELETE /api/v1/account/sessions/:id",
  "POST /api/v1/account/sessions/sign-out-others",
]);

export function registerEnrolmentGate(app: FastifyInstance): void {
  // After the authentication hook (registered before it), before every route's own preHandler.
  app.addHook("preHandler", (request, _reply, done) => {
    if (request.session?.enrolment === undefined || !request.url.startsWith("/api/")) return done();
    if (ENROLMENT_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ""}`)) return done();
    done(forbidden(problem("second_factor_enrolment_required")));
  });
}
