// Push approval (issue 10): a browser where the user is signed in registers to approve their
// sign-ins; a pending sign-in asks it, shows a two-digit number, and the other browser taps the
// matching one of three or denies. A request lives 2 minutes, is bound to the sign-in challenge
// that made it, is decided once and used once (conditional UPDATEs in push-approvals store). A
// wrong number or a denial ends the sign-in. Sudo mode asks the same way (a request bound to the
// session, its purpose "reauthentication"), and so does a step-up before an entry's code (purpose
// "step_up", step-ups.ts), answered only from another session and device than the one asking.
// Every step is audited; no secret is in a request.
import { createHash, randomInt, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Clock } from "../core/clock.js";
import { conflict, forbidden, invalidInput, notFound, problem, tooManyRequests, unauthenticated } from "../core/errors.js";
import type { UserId } from "../core/ids.js";
import { describeUserAgent } from "../core/user-agent.js";
import type { PushApprovalStore, PushDeviceRecord, PushRequestRecord, PushSubscriptionRecord } from "../store/push-approvals.js";
import type { SignInChallengeStore } from "../store/sign-in-challenges.js";
import type { UserRecord, UserStore } from "../store/users.js";
import type { RequestOrigin, UserActor } from "./actor.js";
import type { AuditActor, AuditFacts, AuditLog } from "./audit-log.js";
import { hashDeviceToken } from "./device-tokens.js";
import type { DeliveryOutcome, PushDelivery, PushMessage } from "./push-delivery.js";
import { challengeHashOf, CHALLENGE_TOKEN_PREFIX, type SignInClient } from "./sign-in-challenges.js";
import type { SecondFactorVerifier } from "./second-factors.js";

export const PUSH_REQUEST_LIFETIME_MS = 2 * 60 * 1000;
/** Requests one sign-in may send (a new one replaces the last): more is someone pressing on the user. */
export const MAX_PUSH_REQUESTS_PER_SIGN_IN = 3;
export const MAX_PUSH_DEVICES = 10;

/** A sign-in asks to be approved; a re-authentication (sudo mode) asks the person to confirm it is them. */
export type PushPurpose = "sign_in" | "reauthentication" | "step_up";
/** What a push request asked of a signed-in session: sudo mode, or a step-up before an entry's code. */
export type SessionPurpose = Exclude<PushPurpose, "sign_in">;

export interface PushRequestView {
  readonly id: string;
  readonly purpose: PushPurpose;
  readonly username: string;
  readonly ip: string;
  readonly browser: string | null;
  readonly system: string | null;
  readonly choices: readonly number[];
  readonly createdAt: number;
  readonly expiresAt: number;
}

export type PushStatus = "pending" | "approved" | "denied" | "expired" | "used";

export interface PushApprovalService {
  vapidPublicKey(): Promise<string>;
  registerDevice(actor: UserActor, deviceToken: string | undefined, input: { name?: string | undefined; subscription?: PushSubscriptionRecord | undefined }): Promise<PushDeviceRecord>;
  listDevices(actor: UserActor): Promise<PushDeviceRecord[]>;
  removeDevice(actor: UserActor, id: string): Promise<void>;
  /** The requests waiting for this browser; it must be one of the user's registered devices. Its own session's re-authentication is not among them. */
  pendingRequests(actor: UserActor, deviceToken: string | undefined): Promise<PushRequestView[]>;
  /** The answer of the approving browser: the number it tapped, or a denial. */
  decide(actor: UserActor, deviceToken: string | undefined, requestId: string, answer: { readonly number?: number | undefined; readonly deny?: boolean | undefined }): Promise<"approved" | "denied">;
  /** From the pending sign-in: a new request to the user's devices; the number to show. */
  request(challengeToken: string | undefined, client: SignInClient, origin: RequestOrigin): Promise<{ readonly requestId: string; readonly number: number; readonly expiresAt: number }>;
  /**
   * For sudo mode (reauthentication.ts, after the password): a request to the user's devices
   * bound to this session, the number to show; at most 3 not approved in 10 minutes. It goes to
   * the user's other devices: the browser asking (`deviceToken`) cannot answer its own request.
   */
  requestForSession(actor: UserActor, deviceToken?: string | undefined, purpose?: SessionPurpose, entry?: AuditFacts["entry"]): Promise<{ readonly requestId: string; readonly number: number; readonly expiresAt: number }>;
  /** What became of the session's latest re-authentication request. */
  statusForSession(actor: UserActor, purpose?: SessionPurpose): Promise<{ readonly status: PushStatus; readonly expiresAt: number }>;
  /** What became of the sign-in's latest request. */
  status(challengeToken: string | undefined, client: SignInClient, origin: RequestOrigin): Promise<{ readonly status: PushStatus; readonly expiresAt: number }>;
  /** Calls `listener` when the user's waiting requests change on this node (the SSE stream). */
  watch(userId: UserId, listener: () => void): () => void;
  /** Deliveries by Web Push still under way (tests wait for them). */
  deliveriesSettled(): Promise<DeliveryOutcome[]>;
  readonly verifier: SecondFactorVerifier<string>;
}

const INVALID_CHALLENGE = problem("sign_in_challenge_invalid");
/** Re-authentication requests one session may send in this window. */
const REAUTHENTICATION_WINDOW_MS = 10 * 60 * 1000;

/**
 * What a signed-in session's push request is bound to, in place of a sign-in challenge's hash: the
 * purpose and the session (its id, itself a hash), so that only this session can use it, and an
 * approval for sudo mode does not step up before a code, nor the other way round (step-ups.ts).
 */
const SESSION_BINDING_PREFIXES: Readonly<Record<SessionPurpose, string>> = { reauthentication: "reauthenticate:", step_up: "step-up:" };
const SESSION_PURPOSES = Object.keys(SESSION_BINDING_PREFIXES) as SessionPurpose[];
export const sessionBindingOf = (purpose: SessionPurpose, sessionId: string): string => `${SESSION_BINDING_PREFIXES[purpose]}${createHash("sha256").update(sessionId).digest("hex")}`;
export const reauthenticationBindingOf = (sessionId: string): string => sessionBindingOf("reauthentication", sessionId);
/** Whether a request was asked by this session itself (for any purpose): it cannot answer it. */
const isOwnRequest = (request: Pick<PushRequestRecord, "challengeHash">, sessionId: string): boolean =>
  SESSION_PURPOSES.some((purpose) => request.challengeHash === sessionBindingOf(purpose, sessionId));

/** A request bound to a session (sessionBindingOf) confirms it is the person or steps up; one bound to a sign-in challenge approves it. */
export const purposeOf = (request: Pick<PushRequestRecord, "challengeHash">): PushPurpose =>
  SESSION_PURPOSES.find((purpose) => request.challengeHash.startsWith(SESSION_BINDING_PREFIXES[purpose])) ?? "sign_in";

export function viewOfRequest(request: PushRequestRecord, username: string): PushRequestView {
  const device = describeUserAgent(request.userAgent);
  return { id: request.id, purpose: purposeOf(request), username, ip: request.ip, browser: device.browser, system: device.system, choices: request.choices, createdAt: request.createdAt, expiresAt: request.expiresAt };
}

/** What Web Push carries to a closed browser's service worker (web/service-worker/sw.js). */
export const pushMessageOf = (view: PushRequestView): PushMessage => ({ kind: "push_request", requestId: view.id, purpose: view.purpose, username: view.username, ip: view.ip, browser: view.browser, system: view.system, choices: view.choices, expiresAt: new Date(view.expiresAt).toISOString() });

/** Two digits, and two other distinct two-digit numbers beside it, in random order. */
function drawNumbers(): { number: number; choices: number[] } {
  const choices = new Set<number>();
  const number = randomInt(10, 100);
  choices.add(number);
  while (choices.size < 3) choices.add(randomInt(10, 100));
  const shuffled = [...choices];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = randomInt(0, i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return { number, choices: shuffled };
}

export function createPushApprovalService(deps: {
  store: PushApprovalStore;
  challenges: Pick<SignInChallengeStore, "findChallenge" | "consumeChallenge">;
  users: Pick<UserStore, "findUserById">;
  auditLog: AuditLog;
  clock: Clock;
  vapidPublicKey: () => Promise<string>;
  /** Adding a way to approve sign-ins is a factor change: sudo mode first (reauthentication.ts). */
  requireRecent: (actor: UserActor) => Promise<void>;
  delivery?: PushDelivery | undefined;
  warn?: (failure: DeliveryOutcome) => void;
}): PushApprovalService {
  const { store, challenges, users, auditLog, clock } = deps;
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const deliveries = new Set<Promise<DeliveryOutcome[]>>();
  const notify = (userId: UserId) => changes.emit(userId);

  const userActorOf = (user: UserRecord, origin: RequestOrigin): AuditActor => ({ kind: "user", userId: user.id, username: user.username, origin });
  const targetOf = (user: { id: string; username: string }) => ({ type: "user" as const, id: user.id, name: user.username });

  async function deviceOf(actor: UserActor, deviceToken: string | undefined): Promise<PushDeviceRecord> {
    const device = deviceToken === undefined ? undefined : await store.findDeviceByToken(actor.userId, hashDeviceToken(deviceToken));
    if (device === undefined) throw forbidden(problem("push_device_not_registered"));
    return device;
  }

  /** The open challenge a token names, of the right client, and its user. */
  async function challengeOf(token: string | undefined, client: SignInClient) {
    if (token === undefined || !token.startsWith(CHALLENGE_TOKEN_PREFIX) || token.length > 100) throw unauthenticated(INVALID_CHALLENGE);
    const hash = challengeHashOf(token);
    const found = await challenges.findChallenge(hash);
    if (found === undefined || found.client !== client || found.consumedAt !== null || found.expiresAt <= clock.now()) throw unauthenticated(INVALID_CHALLENGE);
    const user = await users.findUserById(found.userId);
    if (user === undefined || user.disabledAt !== null) throw unauthenticated(INVALID_CHALLENGE);
    return { hash, user };
  }

  /** Marks a request that ran out of time expired, once, and audits it. */
  async function expireIfDue(request: PushRequestRecord, user: UserRecord, origin: RequestOrigin): Promise<boolean> {
    if (request.status !== "pending" || request.expiresAt > clock.now()) return false;
    if (await store.expireRequest(request.id, clock.now())) {
      await auditLog.commit(userActorOf(user, origin), { events: () => [{ action: "user.push_expired", outcome: "denied", reason: "push_expired", target: targetOf(user), details: { requestId: request.id } }] });
      notify(user.id);
    }
    return true;
  }

  function deliverAll(user: UserRecord, request: PushRequestRecord, devices: readonly PushDeviceRecord[]): void {
    const delivery = deps.delivery;
    if (delivery === undefined) return;
    const payload = pushMessageOf(viewOfRequest(request, user.username));
    const ttl = Math.ceil(PUSH_REQUEST_LIFETIME_MS / 1000);
    const work = Promise.all(
      devices.flatMap((device) => {
        const subscription = device.subscription;
        if (subscription === null) return [];
        return [
          delivery.deliver({ ...device, subscription }, payload, ttl).then(async (outcome) => {
            if (outcome.outcome === "gone") await store.clearSubscription(device.id);
            if (outcome.outcome === "failed") deps.warn?.(outcome);
            return outcome;
          }),
        ];
      }),
    );
    deliveries.add(work);
    void work.finally(() => deliveries.delete(work));
  }

  /**
   * A new request bound to `hash` (a sign-in challenge's, or a session's for re-authentication):
   * at most MAX_PUSH_REQUESTS_PER_SIGN_IN since `since`, each replacing the one before.
   */
  async function send(user: UserRecord, hash: string, origin: RequestOrigin, limit: { since: number; refusal: Error; purpose?: SessionPurpose; entry?: AuditFacts["entry"]; askingDeviceTokenHash?: string | undefined }) {
    const registered = await store.listDevicesOfUser(user.id);
    if (registered.length === 0) throw invalidInput(problem("second_factor_method_unavailable", { method: "push" }), "method");
    // The browser asking cannot answer (decide refuses its own session's request): it is not asked.
    const devices = registered.filter((device) => device.deviceTokenHash !== limit.askingDeviceTokenHash);
    if (devices.length === 0) throw invalidInput(problem("push_no_other_device"), "method");
    const purpose = limit.purpose === undefined ? {} : { purpose: limit.purpose };
    if ((await store.countUnapprovedRequestsOfChallenge(hash, limit.since)) >= MAX_PUSH_REQUESTS_PER_SIGN_IN) {
      await auditLog.commit(userActorOf(user, origin), { events: () => [{ action: "user.push_requested", outcome: "denied", reason: "too_many_requests", target: targetOf(user), ...(limit.purpose === undefined ? {} : { details: purpose }) }] });
      throw limit.refusal;
    }
    const now = clock.now();
    const { number, choices } = drawNumbers();
    const seq = ((await store.findLatestRequestOfChallenge(hash))?.seq ?? 0) + 1;
    const record = { id: randomUUID(), userId: user.id, challengeHash: hash, seq, number, choices, ip: origin.ip, userAgent: origin.userAgent, createdAt: now, expiresAt: now + PUSH_REQUEST_LIFETIME_MS };
    if (!(await store.insertRequest(record))) {
      // Another request of this sign-in, sent at the same moment (a double tap, two tabs), took
      // this place first: both callers are told of that one, which is the one waiting.
      const winner = await store.findLatestRequestOfChallenge(hash);
      if (winner === undefined) throw conflict(problem("push_request_ended"));
      return { requestId: winner.id, number: winner.number, expiresAt: winner.expiresAt };
    }
    await store.supersedeRequests(hash, record.seq, now);
    await store.deleteRequestsBefore(now - 24 * 60 * 60 * 1000);
    await auditLog.commit(userActorOf(user, origin), { events: () => [{ action: "user.push_requested", target: targetOf(user), ...(limit.entry === undefined ? {} : { entry: limit.entry }), details: { requestId: record.id, devices: devices.length, ...purpose } }] });
    notify(user.id);
    deliverAll(user, { ...record, status: "pending", decidedAt: null, decidedByDevice: null, usedAt: null }, devices);
    return { requestId: record.id, number, expiresAt: record.expiresAt };
  }

  const verifier: SecondFactorVerifier<string> = {
    method: "push",
    async hasMethod(userId) {
      return (await store.listDevicesOfUser(userId)).length > 0;
    },
    parse(submission) {
      // The sign-in-challenge service names the challenge being answered, or re-authentication
      // and step-up their session's binding (sessionBindingOf); nothing else can.
      if (submission.challengeHash === undefined) throw invalidInput(problem("push_needs_sign_in"), "method");
      return submission.challengeHash;
    },
    async verify(userId, challengeHash) {
      const latest = await store.findLatestRequestOfChallenge(challengeHash);
      if (latest === undefined || latest.userId !== userId || latest.status !== "approved") return { ok: false, reason: "not_approved" };
      if (!(await store.useRequest(latest.id, clock.now()))) return { ok: false, reason: "replayed_code" };
      return { ok: true, factorId: latest.decidedByDevice ?? "push" };
    },
  };

  return {
    vapidPublicKey: deps.vapidPublicKey,
    verifier,

    async registerDevice(actor, deviceToken, input) {
      await deps.requireRecent(actor);
      if (deviceToken === undefined) throw invalidInput(problem("push_device_token_missing"));
      const described = describeUserAgent(actor.origin.userAgent);
      const name = input.name?.trim() || [described.browser, described.system].filter((part) => part !== null).join(" · ");
      const device = await store.upsertDevice({ id: randomUUID(), userId: actor.userId, deviceTokenHash: hashDeviceToken(deviceToken), name, subscription: input.subscription ?? null, createdAt: clock.now() }, MAX_PUSH_DEVICES);
      if (device === "too_many") throw conflict(problem("push_devices_too_many", { count: MAX_PUSH_DEVICES }));
      await auditLog.commit(actor, { events: () => [{ action: "user.push_device_registered", target: targetOf({ id: actor.userId, username: actor.username }), details: { deviceId: device.id, name: device.name, webPush: device.subscription !== null } }] });
      return device;
    },

    listDevices: (actor) => store.listDevicesOfUser(actor.userId),

    async removeDevice(actor, id) {
      await deps.requireRecent(actor);
      if (!(await store.deleteDevice(actor.userId, id))) throw notFound(problem("push_device_not_found"));
      await auditLog.commit(actor, { events: () => [{ action: "user.push_device_removed", target: targetOf({ id: actor.userId, username: actor.username }), details: { deviceId: id } }] });
    },

    async pendingRequests(actor, deviceToken) {
      await deviceOf(actor, deviceToken);
      return (await store.listPendingRequestsOfUser(actor.userId, clock.now())).filter((request) => !isOwnRequest(request, actor.sessionId)).map((request) => viewOfRequest(request, actor.username));
    },

    async decide(actor, deviceToken, requestId, answer) {
      const device = await deviceOf(actor, deviceToken);
      const request = await store.findRequest(requestId);
      // Another user's request looks like none at all.
      if (request === undefined || request.userId !== actor.userId) throw notFound(problem("push_request_not_found"));
      // The session that asked to confirm it is the person cannot be the one to confirm it: that
      // would be no second factor at all. Refused before anything changes, and audited.
      if (isOwnRequest(request, actor.sessionId)) {
        await auditLog.commit(actor, { events: () => [{ action: answer.deny === true ? "user.push_denied" : "user.push_approved", outcome: "denied", reason: "own_session", target: targetOf({ id: actor.userId, username: actor.username }), details: { requestId: request.id, deviceId: device.id } }] });
        throw forbidden(problem("push_request_own_session"));
      }
      const user = await users.findUserById(actor.userId);
      if (user === undefined) throw notFound(problem("push_request_not_found"));
      if (await expireIfDue(request, user, actor.origin)) throw conflict(problem("push_request_expired"));
      if (answer.deny !== true && answer.number === undefined) throw invalidInput(problem("push_answer_required"), "number");
      const isRight = answer.deny !== true && answer.number === request.number;
      if (!(await store.decideRequest(request.id, isRight ? "approved" : "denied", clock.now(), device.id))) {
        const now = await store.findRequest(request.id);
        throw conflict(problem(now?.status === "expired" ? "push_request_expired" : "push_request_ended"));
      }
      await store.touchDevice(device.id, clock.now());
      if (!isRight) {
        // A wrong number or a denial ends the sign-in that asked: it must start again with the password.
        await challenges.consumeChallenge(request.challengeHash, clock.now());
        const reason = answer.deny === true ? "denied" : "wrong_number";
        await auditLog.commit(actor, { events: () => [{ action: "user.push_denied", outcome: "denied", reason, target: targetOf({ id: actor.userId, username: actor.username }), details: { requestId: request.id, deviceId: device.id, signInIp: request.ip } }] });
        notify(actor.userId);
        return "denied";
      }
      await auditLog.commit(actor, { events: () => [{ action: "user.push_approved", target: targetOf({ id: actor.userId, username: actor.username }), details: { requestId: request.id, deviceId: device.id, signInIp: request.ip } }] });
      notify(actor.userId);
      return "approved";
    },

    async request(challengeToken, client, origin) {
      const { hash, user } = await challengeOf(challengeToken, client);
      return send(user, hash, origin, { since: 0, refusal: unauthenticated(problem("push_requests_exhausted", { count: MAX_PUSH_REQUESTS_PER_SIGN_IN })) });
    },

    async requestForSession(actor, deviceToken, purpose = "reauthentication", entry) {
      const user = await users.findUserById(actor.userId);
      if (user === undefined || user.disabledAt !== null) throw forbidden(problem("sign_in_required"));
      const exhausted = purpose === "reauthentication" ? "push_reauthentication_requests_exhausted" : "push_step_up_requests_exhausted";
      const refusal = tooManyRequests(problem(exhausted, { count: MAX_PUSH_REQUESTS_PER_SIGN_IN }), Math.ceil(REAUTHENTICATION_WINDOW_MS / 1000));
      return send(user, sessionBindingOf(purpose, actor.sessionId), actor.origin, {
        since: clock.now() - REAUTHENTICATION_WINDOW_MS,
        refusal,
        purpose,
        ...(entry === undefined ? {} : { entry }),
        askingDeviceTokenHash: deviceToken === undefined ? undefined : hashDeviceToken(deviceToken),
      });
    },

    async statusForSession(actor, purpose = "reauthentication") {
      const latest = await store.findLatestRequestOfChallenge(sessionBindingOf(purpose, actor.sessionId));
      if (latest === undefined || latest.userId !== actor.userId) throw notFound(problem("push_request_not_found"));
      const user = await users.findUserById(actor.userId);
      if (user !== undefined && (await expireIfDue(latest, user, actor.origin))) return { status: "expired", expiresAt: latest.expiresAt };
      return { status: latest.status, expiresAt: latest.expiresAt };
    },

    async status(challengeToken, client, origin) {
      if (challengeToken === undefined || !challengeToken.startsWith(CHALLENGE_TOKEN_PREFIX) || challengeToken.length > 100) throw unauthenticated(INVALID_CHALLENGE);
      const hash = challengeHashOf(challengeToken);
      const found = await challenges.findChallenge(hash);
      if (found === undefined || found.client !== client) throw unauthenticated(INVALID_CHALLENGE);
      const latest = await store.findLatestRequestOfChallenge(hash);
      if (latest === undefined) throw notFound(problem("push_request_not_found"));
      const user = await users.findUserById(found.userId);
      if (user !== undefined && (await expireIfDue(latest, user, origin))) return { status: "expired", expiresAt: latest.expiresAt };
      return { status: latest.status, expiresAt: latest.expiresAt };
    },

    watch(userId, listener) {
      changes.on(userId, listener);
      return () => changes.off(userId, listener);
    },

    async deliveriesSettled() {
      return (await Promise.all([...deliveries])).flat();
    },
  };
}
