// Passkeys and security keys: the account's own (register, list, rename, remove) and signing in
// with one alone. A passkey sign-in's challenge is bound to this browser by an HttpOnly cookie
// set with the options, so an answer carried to another browser is refused.
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { SignInReply } from "../../contract/auth.js";
import { Problem } from "../../contract/problem.js";
import { Passkey, PasskeyList, PasskeyOptionsReply, PasskeyOptionsRequest, PasskeySignInRequest, RegisterPasskeyRequest, RenamePasskeyRequest } from "../../contract/passkeys.js";
import type { PasskeyService } from "../../services/passkeys.js";
import type { PasskeySignInService } from "../../services/passkey-sign-in.js";
import type { PasskeyRecord } from "../../store/passkeys.js";
import { RENEWED_CSRF_HEADER, SUDO_NOTE, actorOf, originOf, requireSession, setSessionCookie } from "../authentication.js";
import { startSession, type AuthRouteDeps } from "./auth.js";

/** The browser's pre-sign-in binding: random, HttpOnly, lives as long as the challenge. */
export const PASSKEY_BINDING_COOKIE = "__Host-ww_passkey";
/** WebAuthn answers are a few kilobytes; anything near the app's 64 KiB limit is hostile. */
const PASSKEY_BODY_LIMIT = 32 * 1024;

const PasskeyIdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const iso = (ms: number): string => new Date(ms).toISOString();

export const passkeyOf = (p: PasskeyRecord): Passkey => ({
  id: p.id,
  name: p.name,
  createdAt: iso(p.createdAt),
  lastUsedAt: p.lastUsedAt === null ? null : iso(p.lastUsedAt),
  deviceType: p.deviceType,
  isBackedUp: p.isBackedUp,
  isDiscoverable: p.isDiscoverable,
  transports: [...p.transports],
});

function setBindingCookie(reply: FastifyReply, value: string): void {
  reply.setCookie(PASSKEY_BINDING_COOKIE, value, { path: "/", httpOnly: true, secure: true, sameSite: "strict", maxAge: 300 });
}

export interface PasskeyRouteDeps extends Pick<AuthRouteDeps, "sessions" | "devices" | "clock"> {
  readonly passkeys: PasskeyService;
  readonly passkeySignIn: PasskeySignInService;
}

export function registerPasskeyRoutes(app: FastifyInstance, deps: PasskeyRouteDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { passkeys, passkeySignIn } = deps;
  const tags = ["account"];

  typed.post(
    "/api/v1/account/passkeys/options",
    {
      preHandler: requireSession,
      bodyLimit: PASSKEY_BODY_LIMIT,
      schema: {
        tags,
        summary: "Begin registering a passkey or security key",
        description:
          "The options go to navigator.credentials.create() unchanged; their challenge is bound to this session and expires in 5 minutes. " + SUDO_NOTE,
        body: Type.Optional(PasskeyOptionsRequest),
        response: { 200: PasskeyOptionsReply, 400: Problem, 401: Problem, 403: Problem, 409: Problem, 503: Problem },
      },
    },
    async (request) => ({ options: await passkeys.registrationOptions(actorOf(request)) }),
  );

  typed.post(
    "/api/v1/account/passkeys",
    {
      preHandler: requireSession,
      bodyLimit: PASSKEY_BODY_LIMIT,
      schema: {
        tags,
        summary: "Finish registering a passkey: the browser's answer and the key's name",
        description: "The answer must come from WATCHWORD_PUBLIC_URL's origin and sign this session's unused challenge. Audited as user.passkey_added.",
        body: RegisterPasskeyRequest,
        response: { 201: Passkey, 400: Problem, 401: Problem, 409: Problem, 503: Problem },
      },
    },
    async (request, reply) => {
      const registered = await passkeys.register(actorOf(request), request.body.name, request.body.credential as RegistrationResponseJSON);
      return reply.code(201).send(passkeyOf(registered));
    },
  );

  typed.get(
    "/api/v1/account/passkeys",
    { preHandler: requireSession, schema: { tags, summary: "Your passkeys and security keys, with when each was last used", response: { 200: PasskeyList, 401: Problem } } },
    async (request) => ({ passkeys: (await passkeys.list(actorOf(request))).map(passkeyOf) }),
  );

  typed.patch(
    "/api/v1/account/passkeys/:id",
    {
      preHandler: requireSession,
      schema: { tags, summary: "Rename a passkey", description: "Audited as user.passkey_renamed.", params: PasskeyIdParams, body: RenamePasskeyRequest, response: { 200: Passkey, 400: Problem, 401: Problem, 404: Problem } },
    },
    async (request) => passkeyOf(await passkeys.rename(actorOf(request), request.params.id, request.body.name)),
  );

  typed.delete(
    "/api/v1/account/passkeys/:id",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Remove a passkey",
        description: `It can no longer sign in. Every other session of yours ends (CLI tokens too); a browser's session gets a new id in this reply. ${SUDO_NOTE} Audited as user.passkey_removed.`,
        params: PasskeyIdParams,
        response: { 204: Type.Null(), 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const { renewed } = await passkeys.remove(actorOf(request), request.params.id);
      if (renewed !== undefined) {
        setSessionCookie(reply, renewed.token, renewed.expiresAt, deps.clock.now());
        reply.header(RENEWED_CSRF_HEADER, renewed.csrfToken);
      }
      return reply.code(204).send(null);
    },
  );

  typed.post(
    "/api/v1/auth/passkey/options",
    {
      bodyLimit: PASSKEY_BODY_LIMIT,
      schema: {
        tags: ["auth"],
        summary: "Begin signing in with a passkey alone",
        description: "For navigator.credentials.get() with a discoverable credential and user verification. The challenge is bound to this browser by an HttpOnly cookie and expires in 5 minutes.",
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: PasskeyOptionsReply, 503: Problem },
      },
    },
    async (_request, reply) => {
      const binding = randomBytes(32).toString("base64url");
      const options = await passkeySignIn.signInOptions(binding);
      setBindingCookie(reply, binding);
      return { options };
    },
  );

  typed.post(
    "/api/v1/auth/passkey/verify",
    {
      bodyLimit: PASSKEY_BODY_LIMIT,
      schema: {
        tags: ["auth"],
        summary: "Finish signing in with a passkey: starts a session as a password sign-in does",
        description:
          "The answer must sign this browser's unused challenge, from WATCHWORD_PUBLIC_URL's origin, with user verification, and its signature counter must have grown. Failures count as failed sign-ins (per address and account). Audited as user.signed_in (details.method passkey).",
        body: PasskeySignInRequest,
        response: { 200: SignInReply, 400: Problem, 401: Problem, 429: Problem, 503: Problem },
      },
    },
    async (request, reply) => {
      const binding = request.cookies[PASSKEY_BINDING_COOKIE] ?? "";
      // The binding is single use whatever the outcome: the next attempt asks for new options.
      reply.clearCookie(PASSKEY_BINDING_COOKIE, { path: "/", httpOnly: true, secure: true, sameSite: "strict" });
      const { user } = await passkeySignIn.verifySignIn(binding, request.body.credential as AuthenticationResponseJSON, originOf(request));
      return startSession(deps, request, reply, user, "browser");
    },
  );
}
