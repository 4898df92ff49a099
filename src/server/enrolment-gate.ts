// A session opened for a user who must still enrol a second factor (mfa-enforcement.ts) may only
// enrol: these routes answer it, every other API route refuses it with 403
// second_factor_enrolment_required. The web app's files are not API routes and load as usual.
import type { FastifyInstance } from "fastify";
import { forbidden, problem } from "../core/errors.js";

/** "METHOD /route" that an enrolling session may call: who am I, sign out, sudo mode, and enrolling. */
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
]);

export function registerEnrolmentGate(app: FastifyInstance): void {
  // After the authentication hook (registered before it), before every route's own preHandler.
  app.addHook("preHandler", (request, _reply, done) => {
    if (request.session?.enrolment === undefined || !request.url.startsWith("/api/")) return done();
    if (ENROLMENT_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ""}`)) return done();
    done(forbidden(problem("second_factor_enrolment_required")));
  });
}
