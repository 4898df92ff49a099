// Alerts through the outbox (services/outbox.ts): the producer turns each committed audit event
// that someone watches into one outbox message per subscription, in the events' own transaction;
// the deliverer (one node at a time, under the outbox's lease) sends them, retrying each with
// growing waits while its receiver is down, and gives up only on an answer that says trying again
// cannot help. Before each send it asks policy whether the subscriber may still see the entry; one
// who may not (or is disabled) is told nothing. Never logged: an address (a Slack or Teams one is a
// credential), a signing secret, a body.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { alertFactsOf, isPublicAddress, type AlertFacts, type TargetRule } from "../core/alerts.js";
import { composeAlertMail } from "../core/alert-messages.js";
import { buildSlackMessage, buildTeamsMessage, buildWebhookAlert, EVENT_ID_HEADER } from "../core/alert-payloads.js";
import { signWebhookBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../crypto/webhook-signature.js";
import type { Clock } from "../core/clock.js";
import type { MailLanguage } from "../core/mail-messages.js";
import type { Keyring } from "../crypto/keyring.js";
import { ALERT_DESTINATION, alertPayloadPrefix, type AlertSubscriptionRecord } from "../store/alert-subscriptions.js";
import type { NewOutboxMessage, OutboxMessage } from "../store/outbox.js";
import type { Store } from "../store/store.js";
import type { AccessService } from "./access.js";
import { recipientActor, secretBinding, targetBinding } from "./alerts.js";
import type { Mailer } from "./mailer.js";
import { startDeliverer, type Deliverer, type Outbox, type OutboxProducer, type RoundResult } from "./outbox.js";

/**
 * One outbox message per subscription that wants the event: its id first (see alertPayloadPrefix),
 * then the facts. A whole batch of events costs two queries (their entries' folders, then every
 * subscription on those entries and folders), not two per event: each code handed out is an event.
 */
export function createAlertProducer(deps: { publicUrl: string | undefined }): OutboxProducer {
  return async (events, tx) => {
    const alerts = events.flatMap((event) => {
      const facts = alertFactsOf(event, deps.publicUrl);
      return facts === undefined ? [] : [{ seq: event.seq, facts }];
    });
    if (alerts.length === 0) return [];
    const entryIds = [...new Set(alerts.flatMap(({ facts }) => (facts.target.kind === "entry" ? [facts.target.id] : [])))];
    // The entry's folder as it is now, not as the event's writer saw it.
    const folderOfEntry = await tx.entries.folderIdsOf(entryIds);
    const scopeOf = ({ target }: AlertFacts) =>
      target.kind === "folder" ? { entryId: null, folderId: target.id } : { entryId: target.id, folderId: folderOfEntry.get(target.id) ?? null };
    const folderIds = [...new Set(alerts.flatMap(({ facts }) => scopeOf(facts).folderId ?? []))];
    const subscriptions = await tx.alertSubscriptions.listSubscriptionsCovering({ entryIds, folderIds });
    if (subscriptions.length === 0) return [];
    const messages: NewOutboxMessage[] = [];
    for (const { seq, facts } of alerts) {
      const { entryId, folderId } = scopeOf(facts);
      const covers = (s: AlertSubscriptionRecord) => (s.scope.kind === "entry" ? s.scope.id === entryId : s.scope.id === folderId);
      for (const subscription of subscriptions.filter((s) => covers(s) && s.events.includes(facts.kind))) {
        const payload = `${alertPayloadPrefix(subscription.id)}"facts":${JSON.stringify(facts)}}`;
        messages.push({ destination: ALERT_DESTINATION, kind: "alert", seq, eventId: facts.eventId, payload });
      }
    }
    return messages;
  };
}

/** What a failed or dropped delivery is logged with: ids, the channel and a reason without any address. */
export interface AlertDeliveryNote {
  readonly messageId: number;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly channel: string;
  readonly attempts: number;
  readonly reason: string;
  readonly outcome: "retry" | "failed" | "dropped";
}

export interface DeliveryTiming {
  /** How often waiting alerts are looked at when nothing wakes the deliverer (ms). */
  readonly pollMs: number;
  /** The first retry's wait (ms); each later one doubles, up to maxRetryMs. */
  readonly retryBaseMs: number;
  readonly maxRetryMs: number;
  /** Attempts before giving up on a receiver that keeps failing. */
  readonly maxAttempts: number;
  /** How long one send may take (ms). */
  readonly timeoutMs: number;
  /** How long the deliverer's lease lasts without renewal (ms): another node takes over after it. */
  readonly leaseMs: number;
}

export const DEFAULT_DELIVERY_TIMING: DeliveryTiming = Object.freeze({ pollMs: 2_000, retryBaseMs: 5_000, maxRetryMs: 15 * 60_000, maxAttempts: 40, timeoutMs: 10_000, leaseMs: 60_000 });

/** An answer that trying again cannot change (a redirect, a 4xx other than 408, 425, 429), or a refusal before sending. */
class PermanentFailure extends Error {}

const BATCH = 50;
const MAX_BODY = 64 * 1024;

interface AlertMessage {
  readonly subscriptionId: string;
  readonly facts: AlertFacts;
}

/** Starts the alert deliverer on this node; it waits its turn under the outbox's lease. */
export async function startAlertDeliverer(deps: {
  store: Pick<Store, "alertSubscriptions" | "users" | "groups" | "outbox">;
  outbox: Pick<Outbox, "onWake">;
  holder: string;
  access: Pick<AccessService, "inspect" | "mayOnFolder">;
  keyring: Pick<Keyring, "open">;
  mailer: Mailer | undefined;
  clock: Clock;
  targets: TargetRule;
  timing?: Partial<DeliveryTiming>;
  note: (note: AlertDeliveryNote) => void;
}): Promise<Deliverer> {
  const { store, access, keyring, clock } = deps;
  const timing = { ...DEFAULT_DELIVERY_TIMING, ...deps.timing };
  await store.outbox.ensureOutboxDestination(ALERT_DESTINATION, "alert", 0, clock.now());

  /** The subscriber still exists, is enabled and may see the entry; undefined otherwise. */
  async function recipientOf(subscription: AlertSubscriptionRecord, facts: AlertFacts) {
    const user = await store.users.findUserById(subscription.userId);
    if (user === undefined || user.disabledAt !== null) return undefined;
    const subject = recipientActor(user, await store.groups.listGroupIdsOfUser(user.id));
    const sees = facts.target.kind === "entry" ? (await access.inspect(subject, facts.target.id))?.sees === true : (await access.mayOnFolder(subject, facts.target.id, "use")) === true;
    return sees ? user : undefined;
  }

  async function send(subscription: AlertSubscriptionRecord, facts: AlertFacts, language: MailLanguage, recipient: { email: string | null; name: string }): Promise<void> {
    if (subscription.channel === "email") {
      if (deps.mailer === undefined) throw new PermanentFailure("no SMTP server is configured");
      if (recipient.email === null) throw new PermanentFailure("the subscriber has no e-mail address");
      await deps.mailer.send({ to: recipient.email, ...composeAlertMail(facts, language, recipient.name) });
      return;
    }
    if (subscription.targetSealed === null) throw new PermanentFailure("the subscription has no target");
    const target = keyring.open(subscription.targetSealed, targetBinding(subscription.id));
    const url = new URL(target.revealUtf8());
    target.destroy();
    const body =
      subscription.channel === "slack"
        ? JSON.stringify(buildSlackMessage(facts, language))
        : subscription.channel === "teams"
          ? JSON.stringify(buildTeamsMessage(facts, language))
          : JSON.stringify(buildWebhookAlert(facts, language));
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Watchword alerts", [EVENT_ID_HEADER]: facts.eventId };
    if (subscription.channel === "webhook") {
      if (subscription.secretSealed === null) throw new PermanentFailure("the webhook has no signing secret");
      const secret = keyring.open(subscription.secretSealed, secretBinding(subscription.id));
      // The same scheme as SIEM webhooks, so that one receiver's check serves both.
      const timestamp = Math.floor(clock.now() / 1000);
      headers[TIMESTAMP_HEADER] = String(timestamp);
      headers[SIGNATURE_HEADER] = signWebhookBody(secret, timestamp, body);
      secret.destroy();
    }
    await postJson(url, headers, body, deps.targets, timing.timeoutMs);
  }

  /** "done": the message leaves the outbox (delivered, given up or dropped); a number: try again then. */
  async function deliver(message: OutboxMessage): Promise<"done" | number> {
    const attempts = message.attempts + 1;
    let parsed: AlertMessage;
    try {
      parsed = JSON.parse(message.payload) as AlertMessage;
    } catch {
      return "done";
    }
    const { facts } = parsed;
    const base = { messageId: message.id, subscriptionId: parsed.subscriptionId, eventId: facts.eventId, attempts };
    const subscription = await store.alertSubscriptions.findSubscription(parsed.subscriptionId);
    if (subscription === undefined) return "done";
    const recipient = await recipientOf(subscription, facts);
    if (recipient === undefined) {
      deps.note({ ...base, channel: subscription.channel, reason: "the subscriber may no longer see the entry", outcome: "dropped" });
      return "done";
    }
    try {
      await send(subscription, facts, recipient.language ?? "en", { email: recipient.email, name: recipient.displayName || recipient.username });
      await store.alertSubscriptions.noteDelivered(subscription.id, clock.now());
      return "done";
    } catch (error) {
      const reason = reasonOf(error);
      const isGivenUp = error instanceof PermanentFailure || attempts >= timing.maxAttempts;
      await store.alertSubscriptions.noteFailure(subscription.id, clock.now(), reason, isGivenUp);
      deps.note({ ...base, channel: subscription.channel, reason, outcome: isGivenUp ? "failed" : "retry" });
      return isGivenUp ? "done" : clock.now() + Math.min(timing.retryBaseMs * 2 ** (attempts - 1), timing.maxRetryMs);
    }
  }

  async function round(state: { readonly deliveredSeq: number }): Promise<RoundResult> {
    const messages = await store.outbox.listOutboxMessages(ALERT_DESTINATION, { limit: BATCH, now: clock.now() });
    if (messages.length === 0) return "idle";
    const outcomes = await Promise.all(messages.map(async (message) => ({ message, outcome: await deliver(message) })));
    const done: number[] = [];
    for (const { message, outcome } of outcomes) {
      if (outcome === "done") done.push(message.id);
      else await store.outbox.deferOutboxMessage(message.id, "not delivered yet", outcome);
    }
    // Alerts keep no cursor: the destination's seq stays where it is, and only the messages go.
    if (done.length > 0) await store.outbox.recordOutboxDelivery({ name: ALERT_DESTINATION, holder: deps.holder, fromSeq: state.deliveredSeq, toSeq: state.deliveredSeq, messageIds: done, at: clock.now() });
    return done.length > 0 ? "delivered" : "idle";
  }

  return startDeliverer({
    store: store.outbox,
    outbox: deps.outbox,
    clock,
    name: ALERT_DESTINATION,
    holder: deps.holder,
    round,
    // Idle, it only reads: no lease is written until an alert waits.
    hasWork: async () => (await store.outbox.listOutboxMessages(ALERT_DESTINATION, { limit: 1, now: clock.now() })).length > 0,
    timing: { leaseMs: timing.leaseMs, pollMs: timing.pollMs, retryMinMs: timing.retryBaseMs, retryMaxMs: timing.maxRetryMs },
    onFailure: (_name, reason) => deps.note({ messageId: 0, subscriptionId: "", eventId: "", channel: "", attempts: 0, reason, outcome: "retry" }),
  });
}

/** The receiver's or the network's answer, cut short; never an address or a body. */
function reasonOf(error: unknown): string {
  if (error instanceof HttpStatusError) return `the receiver answered ${error.status}`;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return `the receiver could not be reached (${code})`;
  return (error instanceof Error ? error.message : String(error)).replace(/https?:\/\/\S+/g, "[address]").slice(0, 160);
}

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

const RETRIED_STATUSES = new Set([408, 425, 429]);

/**
 * POSTs the body and reads the answer's status. The address the name resolves to is checked at
 * connect time (not before, which a name that changes between check and connect would slip past),
 * and a redirect is not followed, so an alert never lands on a private address unless allowed.
 */
function postJson(url: URL, headers: Record<string, string>, body: string, rule: TargetRule, timeoutMs: number): Promise<void> {
  const lookup = (hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) return callback(error, []);
      const allowed = rule.allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      if (allowed.length === 0) return callback(Object.assign(new Error("no public address"), { code: "ENOTPUBLIC" }), []);
      if ((options as { all?: boolean }).all === true) return callback(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) }, lookup, timeout: timeoutMs }, (response) => {
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_BODY) response.destroy();
      });
      response.on("close", () => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve();
        if (status >= 300 && status < 500 && !RETRIED_STATUSES.has(status)) return reject(new PermanentFailure(`the receiver answered ${status}`));
        reject(new HttpStatusError(status));
      });
      response.on("error", () => undefined);
    });
    request.on("timeout", () => request.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    request.on("error", reject);
    request.end(body);
  });
}
