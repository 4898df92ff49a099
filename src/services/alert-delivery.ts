// Alert deliveries: written in the audit events' own transaction (enqueue), then sent by the
// deliverer, which retries with growing waits while a receiver is down and gives up only on an
// answer that says trying again cannot help. Before each send it asks policy whether the
// subscriber may still see the entry; one who may not (or is disabled) is told nothing.
// Never logged: an address (a Slack or Teams one is a credential), a signing secret, a body.
import { randomUUID } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { alertFactsOf, isPublicAddress, type AlertFacts, type TargetRule } from "../core/alerts.js";
import { composeAlertMail } from "../core/alert-messages.js";
import { buildSlackMessage, buildTeamsMessage, buildWebhookAlert, EVENT_ID_HEADER, signWebhookBody, SIGNATURE_HEADER } from "../core/alert-payloads.js";
import type { Clock } from "../core/clock.js";
import type { MailLanguage } from "../core/mail-messages.js";
import type { Keyring } from "../crypto/keyring.js";
import type { NewAuditEvent } from "../store/audit-events.js";
import type { DueAlertDelivery } from "../store/alert-subscriptions.js";
import type { Store, TransactionScope } from "../store/store.js";
import type { AccessService } from "./access.js";
import { recipientActor, secretBinding, targetBinding } from "./alerts.js";
import type { Mailer } from "./mailer.js";

/** Finds the subscriptions that want each committed event and writes one delivery for each, in the events' transaction. */
export function createAlertEnqueuer(deps: { publicUrl: string | undefined }): (tx: TransactionScope, events: readonly NewAuditEvent[]) => Promise<void> {
  return async (tx, events) => {
    const deliveries = [];
    for (const event of events) {
      const facts = alertFactsOf(event, deps.publicUrl);
      if (facts === undefined) continue;
      const folderId = facts.target.kind === "folder" ? facts.target.id : ((await tx.entries.findEntry(facts.target.id))?.folderId ?? null);
      const entryId = facts.target.kind === "entry" ? facts.target.id : null;
      const wanted = (await tx.alertSubscriptions.listSubscriptionsCovering(entryId, folderId)).filter((s) => s.events.includes(facts.kind));
      const text = JSON.stringify(facts);
      for (const subscription of wanted) deliveries.push({ id: randomUUID(), subscriptionId: subscription.id, eventId: facts.eventId, facts: text, createdAt: event.at });
    }
    await tx.alertSubscriptions.enqueueDeliveries(deliveries);
  };
}

/** What a failed or dropped delivery is logged with: ids, the channel and a reason without any address. */
export interface AlertDeliveryNote {
  readonly deliveryId: string;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly channel: string;
  readonly attempts: number;
  readonly reason: string;
  readonly outcome: "retry" | "failed" | "dropped";
}

export interface AlertDeliverer {
  /** Looks for due deliveries now (after a commit) instead of at the next poll. */
  kick(): void;
  /** Sends what is due once; resolves when done (tests and shutdown). */
  runOnce(): Promise<void>;
  close(): Promise<void>;
}

export interface DeliveryTiming {
  /** How often due deliveries are looked for (ms). */
  readonly pollMs: number;
  /** The first retry's wait (ms); each later one doubles, up to maxRetryMs. */
  readonly retryBaseMs: number;
  readonly maxRetryMs: number;
  /** Attempts before giving up on a receiver that keeps failing. */
  readonly maxAttempts: number;
  /** How long one send may take (ms). */
  readonly timeoutMs: number;
}

export const DEFAULT_DELIVERY_TIMING: DeliveryTiming = Object.freeze({ pollMs: 5_000, retryBaseMs: 5_000, maxRetryMs: 15 * 60_000, maxAttempts: 40, timeoutMs: 10_000 });

/** An answer that trying again cannot change (a redirect, a 4xx other than 408, 425, 429), or a refusal before sending. */
class PermanentFailure extends Error {}

const BATCH = 50;
const MAX_BODY = 64 * 1024;

export function createAlertDeliverer(deps: {
  store: Pick<Store, "alertSubscriptions" | "users" | "groups">;
  access: Pick<AccessService, "inspect">;
  keyring: Pick<Keyring, "open">;
  mailer: Mailer | undefined;
  clock: Clock;
  targets: TargetRule;
  timing?: Partial<DeliveryTiming>;
  note: (note: AlertDeliveryNote) => void;
}): AlertDeliverer {
  const { store, access, keyring, clock } = deps;
  const timing = { ...DEFAULT_DELIVERY_TIMING, ...deps.timing };
  let running: Promise<void> | undefined;
  let again = false;
  let isClosed = false;

  /** The subscriber still exists, is enabled and may see the entry: their language, or undefined. */
  async function recipientOf(delivery: DueAlertDelivery, facts: AlertFacts) {
    const user = await store.users.findUserById(delivery.subscription.userId);
    if (user === undefined || user.disabledAt !== null) return undefined;
    if (facts.target.kind === "entry") {
      const inspection = await access.inspect(recipientActor(user, await store.groups.listGroupIdsOfUser(user.id)), facts.target.id);
      if (inspection?.sees !== true) return undefined;
    }
    return user;
  }

  async function send(delivery: DueAlertDelivery, facts: AlertFacts, language: MailLanguage, recipient: { email: string | null; name: string }): Promise<void> {
    const { subscription } = delivery;
    if (subscription.channel === "email") {
      if (deps.mailer === undefined) throw new PermanentFailure("no SMTP server is configured");
      if (recipient.email === null) throw new PermanentFailure("the subscriber has no e-mail address");
      const mail = composeAlertMail(facts, language, recipient.name);
      await deps.mailer.send({ to: recipient.email, ...mail });
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
      headers[SIGNATURE_HEADER] = signWebhookBody(secret, Math.floor(clock.now() / 1000), body);
      secret.destroy();
    }
    await postJson(url, headers, body, deps.targets, timing.timeoutMs);
  }

  async function deliver(delivery: DueAlertDelivery): Promise<void> {
    const attempts = delivery.attempts + 1;
    const base = { deliveryId: delivery.id, subscriptionId: delivery.subscription.id, eventId: delivery.eventId, channel: delivery.subscription.channel, attempts };
    const facts = JSON.parse(delivery.facts) as AlertFacts;
    const recipient = await recipientOf(delivery, facts);
    if (recipient === undefined) {
      await store.alertSubscriptions.markFailed(delivery.id, clock.now(), attempts, "the subscriber may no longer see the entry");
      deps.note({ ...base, reason: "the subscriber may no longer see the entry", outcome: "dropped" });
      return;
    }
    try {
      await send(delivery, facts, recipient.language ?? "en", { email: recipient.email, name: recipient.displayName || recipient.username });
      await store.alertSubscriptions.markDelivered(delivery.id, clock.now(), attempts);
    } catch (error) {
      const reason = reasonOf(error);
      if (error instanceof PermanentFailure || attempts >= timing.maxAttempts) {
        await store.alertSubscriptions.markFailed(delivery.id, clock.now(), attempts, reason);
        deps.note({ ...base, reason, outcome: "failed" });
        return;
      }
      const wait = Math.min(timing.retryBaseMs * 2 ** (attempts - 1), timing.maxRetryMs);
      await store.alertSubscriptions.markRetry(delivery.id, attempts, clock.now() + wait, reason);
      deps.note({ ...base, reason, outcome: "retry" });
    }
  }

  async function runOnce(): Promise<void> {
    for (;;) {
      const due = await store.alertSubscriptions.listDueDeliveries(clock.now(), BATCH);
      // Another node may hold the same rows: claiming moves a row's next attempt, and only one claim wins.
      const claimed = [];
      for (const delivery of due) if (await store.alertSubscriptions.claimDelivery(delivery.id, delivery.nextAttemptAt, clock.now() + timing.timeoutMs * 3)) claimed.push(delivery);
      await Promise.all(claimed.map((delivery) => deliver(delivery).catch((error: unknown) => deps.note({ deliveryId: delivery.id, subscriptionId: delivery.subscription.id, eventId: delivery.eventId, channel: delivery.subscription.channel, attempts: delivery.attempts, reason: reasonOf(error), outcome: "retry" }))));
      if (due.length < BATCH || isClosed) return;
    }
  }

  function kick(): void {
    if (isClosed) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((error: unknown) => deps.note({ deliveryId: "", subscriptionId: "", eventId: "", channel: "", attempts: 0, reason: reasonOf(error), outcome: "retry" }))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  const timer = setInterval(kick, timing.pollMs);
  timer.unref();

  return {
    kick,
    async runOnce() {
      while (running !== undefined) await running;
      await runOnce();
    },
    async close() {
      isClosed = true;
      clearInterval(timer);
      while (running !== undefined) await running;
    },
  };
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
