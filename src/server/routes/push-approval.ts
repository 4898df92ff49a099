// Push approval (issue 10): the browsers registered to approve the user's sign-ins
// (/api/v1/account/push-devices), the requests they answer and their event stream
// (/api/v1/account/push-requests), and the pending sign-in's side (/api/v1/auth/sign-in/push).
import { PassThrough } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { invalidInput, problem } from "../../core/errors.js";
import { Problem } from "../../contract/problem.js";
import {
  PushDecisionReply,
  PushDecisionRequest,
  PushDevice,
  PushDeviceList,
  PushRequestList,
  PushSignInReply,
  PushSignInRequest,
  PushSignInStatus,
  RegisterPushDeviceRequest,
  type PushSubscription,
} from "../../contract/push-approval.js";
import type { PushApprovalService, PushRequestView } from "../../services/push-approvals.js";
import { hashDeviceToken } from "../../services/device-tokens.js";
import type { PushDeviceRecord } from "../../store/push-approvals.js";
import { DEVICE_COOKIE, actorOf, originOf, requireSession } from "../authentication.js";
import { CHALLENGE_COOKIE } from "./auth.js";

const iso = (ms: number) => new Date(ms).toISOString();
const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const SUDO = "Needs sudo mode (POST /api/v1/auth/reauthenticate): 403 `reauthentication_required` otherwise.";
const DEVICE = "Only from a browser registered for push approval (its device cookie): 403 `push_device_not_registered` otherwise.";
/** How often an open event stream looks for requests made on other nodes, and says it is alive. */
const STREAM_REFRESH_MS = 5_000;

export const requestOf = (r: PushRequestView) => ({ id: r.id, purpose: r.purpose, username: r.username, ip: r.ip, browser: r.browser, system: r.system, choices: [...r.choices], createdAt: iso(r.createdAt), expiresAt: iso(r.expiresAt) });

export interface PushRouteDeps {
  readonly push: PushApprovalService;
  /** Tests only: a subscription endpoint may be http (a receiver on loopback); production wants https. */
  readonly allowHttpEndpoints?: boolean;
}

/**
 * The browsers' push services (Chrome and Edge's FCM, Firefox's autopush, Safari's, Windows'):
 * the only hosts a subscription may name. The server POSTs to the endpoint a user gives, so any
 * other host (an address inside the network, the cloud's metadata service) is refused, not called.
 */
const PUSH_SERVICE_DOMAINS = ["fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com"] as const;

export const isPushService = (hostname: string): boolean =>
  PUSH_SERVICE_DOMAINS.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));

export function registerPushApprovalRoutes(app: FastifyInstance, deps: PushRouteDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { push } = deps;
  const tags = ["account"];
  const deviceTokenOf = (request: FastifyRequest) => request.cookies[DEVICE_COOKIE];
  const deviceOf = (request: FastifyRequest) => (device: PushDeviceRecord) => {
    const token = deviceTokenOf(request);
    return {
      id: device.id,
      name: device.name,
      hasWebPush: device.subscription !== null,
      isThisDevice: token !== undefined && hashDeviceToken(token) === device.deviceTokenHash,
      createdAt: iso(device.createdAt),
      lastUsedAt: device.lastUsedAt === null ? null : iso(device.lastUsedAt),
    };
  };
  const subscriptionOf = (subscription: PushSubscription | undefined) => {
    if (subscription === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(subscription.endpoint);
    } catch {
      throw invalidInput(problem("push_subscription_invalid"), "subscription");
    }
    if (deps.allowHttpEndpoints === true ? !["https:", "http:"].includes(url.protocol) : url.protocol !== "https:" || !isPushService(url.hostname)) {
      throw invalidInput(problem("push_subscription_invalid"), "subscription");
    }
    return { endpoint: url.href, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth };
  };

  typed.get(
    "/api/v1/account/push-devices",
    { preHandler: requireSession, schema: { tags, summary: "Your devices for push approval", description: "With the server's VAPID public key, for PushManager.subscribe().", response: { 200: PushDeviceList, 401: Problem, 403: Problem } } },
    async (request) => ({ devices: (await push.listDevices(actorOf(request))).map(deviceOf(request)), vapidPublicKey: await push.vapidPublicKey() }),
  );

  typed.post(
    "/api/v1/account/push-devices",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Use this browser to approve your sign-ins",
        description: `Registers the browser that calls (its device cookie; registering again updates its name and subscription). With a Web Push \`subscription\` requests reach it while the app is closed too; without one, only while it is open (the event stream). From then on sign-in offers \`push\`. ${SUDO} Audited as user.push_device_registered.`,
        body: RegisterPushDeviceRequest,
        response: { 200: PushDevice, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (request) => deviceOf(request)(await push.registerDevice(actorOf(request), deviceTokenOf(request), { name: request.body.name, subscription: subscriptionOf(request.body.subscription) })),
  );

  typed.delete(
    "/api/v1/account/push-devices/:id",
    { preHandler: requireSession, schema: { tags, summary: "Stop using a device for push approval", description: `${SUDO} Audited as user.push_device_removed.`, params: IdParams, response: { 204: Type.Null(), 401: Problem, 403: Problem, 404: Problem } } },
    async (request, reply) => {
      await push.removeDevice(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  typed.get(
    "/api/v1/account/push-requests",
    { preHandler: requireSession, schema: { tags, summary: "Sign-ins waiting for your approval", description: DEVICE, response: { 200: PushRequestList, 401: Problem, 403: Problem } } },
    async (request) => ({ requests: (await push.pendingRequests(actorOf(request), deviceTokenOf(request))).map(requestOf) }),
  );

  typed.post(
    "/api/v1/account/push-requests/:id/decision",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Approve a sign-in (tap its number) or deny it",
        description: `The right number approves; a wrong one, or \`deny\`, refuses the sign-in, which must start again with the password. A request is answered once (409 \`push_request_ended\`) and not after its 2 minutes (409 \`push_request_expired\`). A re-authentication request (\`purpose: "reauthentication"\`) is answered from another session than the one that asked (403 \`push_request_own_session\`). ${DEVICE} Audited as user.push_approved or user.push_denied.`,
        params: IdParams,
        body: PushDecisionRequest,
        response: { 200: PushDecisionReply, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (request) => ({ outcome: await push.decide(actorOf(request), deviceTokenOf(request), request.params.id, request.body) }),
  );

  const streams = new Set<PassThrough>();
  app.addHook("preClose", async () => {
    for (const stream of streams) stream.end();
  });
  typed.get(
    "/api/v1/account/push-requests/events",
    {
      preHandler: requireSession,
      schema: {
        tags,
        summary: "Sign-ins waiting for your approval, as server-sent events",
        description: `text/event-stream: an event \`requests\` whose data is a PushRequestList, at once, whenever the waiting requests change, and every few seconds. ${DEVICE}`,
        response: { 200: Type.String({ description: "text/event-stream" }), 401: Problem, 403: Problem },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const token = deviceTokenOf(request);
      const first = await push.pendingRequests(actor, token); // refuses an unregistered browser with a problem reply
      const stream = new PassThrough();
      streams.add(stream);
      let last = "";
      const send = (requests: PushRequestView[]) => {
        const data = JSON.stringify({ requests: requests.map(requestOf) });
        if (data === last) return void stream.write(": alive\n\n");
        last = data;
        stream.write(`event: requests\ndata: ${data}\n\n`);
      };
      const refresh = () => void push.pendingRequests(actor, token).then(send, () => stream.end());
      send(first);
      const unwatch = push.watch(actor.userId, refresh);
      const timer = setInterval(refresh, STREAM_REFRESH_MS);
      const stop = () => {
        clearInterval(timer);
        unwatch();
        streams.delete(stream);
        stream.end();
      };
      reply.raw.once("close", stop);
      stream.once("end", () => {
        clearInterval(timer);
        unwatch();
      });
      return reply.type("text/event-stream").header("cache-control", "no-store").header("x-accel-buffering", "no").send(stream as never);
    },
  );

  const challengeTokenOf = (request: FastifyRequest, body: PushSignInRequest | undefined) => ((body?.client ?? "browser") === "cli" ? body?.challengeToken : request.cookies[CHALLENGE_COOKIE]);

  typed.post(
    "/api/v1/auth/sign-in/push",
    {
      schema: {
        tags: ["auth"],
        summary: "Send a push approval request for a pending sign-in",
        description:
          "For a sign-in that replied `mfa_required` with method `push`: the browser's challenge cookie, or `challengeToken` with `client: \"cli\"`. Sends the request to the user's registered devices (the event stream at once, Web Push for closed ones) and answers the two-digit number to show. The request lasts 2 minutes and is bound to this sign-in; a new one replaces it, at most 3 for one sign-in (401 `push_requests_exhausted`). Audited as user.push_requested.",
        body: PushSignInRequest,
        response: { 200: PushSignInReply, 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      const sent = await push.request(challengeTokenOf(request, request.body), request.body?.client ?? "browser", originOf(request));
      return { number: sent.number, expiresAt: iso(sent.expiresAt) };
    },
  );

  typed.post(
    "/api/v1/auth/sign-in/push/status",
    {
      schema: {
        tags: ["auth"],
        summary: "What became of a sign-in's push request",
        description: "Poll it (every second or two) while the number is shown. `approved`: finish with POST /api/v1/auth/sign-in/second-factor and `method: \"push\"`. `denied`: the other device denied it or a wrong number was tapped, and the sign-in ended. `expired`: 2 minutes passed (audited as user.push_expired); send a new request.",
        body: PushSignInRequest,
        response: { 200: PushSignInStatus, 401: Problem, 404: Problem },
      },
    },
    async (request) => {
      const found = await push.status(challengeTokenOf(request, request.body), request.body?.client ?? "browser", originOf(request));
      return { status: found.status, expiresAt: iso(found.expiresAt) };
    },
  );
}
