// Alert subscriptions of an entry or a folder: who is told of what, through which channel. A
// person who may see an entry (use a folder) subscribes themselves; its managers (and
// administrators) add and remove watchers, who must be able to see it too. Every question goes to services/access.ts; the address
// and a webhook's signing secret are sealed with the keyring before they reach the store, and the
// secret is shown once, in the reply that creates it. Subscribing and unsubscribing are audited.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { checkEventKinds, checkTargetUrl, shownTargetOf, type AlertChannel, type AlertEventKind, type TargetRule } from "../core/alerts.js";
import type { Clock } from "../core/clock.js";
import { conflict, forbidden, invalidInput, notFound, problem } from "../core/errors.js";
import type { FolderId, SessionId, UserId } from "../core/ids.js";
import { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import type { AlertDeliveryState, AlertScope, AlertSubscriptionRecord } from "../store/alert-subscriptions.js";
import type { Store } from "../store/store.js";
import { isUniqueViolation } from "../store/unique-violation.js";
import type { UserRecord } from "../store/users.js";
import type { AccessService } from "./access.js";
import type { Actor, UserActor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";

export const MAX_SUBSCRIPTIONS_PER_SCOPE = 100;
const NO_SUCH_SUBSCRIPTION = problem("alert_subscription_not_found");

export const targetBinding = (subscriptionId: string) => ({ recordId: subscriptionId, field: "alert_target" });
export const secretBinding = (subscriptionId: string) => ({ recordId: subscriptionId, field: "alert_secret" });

export interface SubscribeInput {
  /** Someone else (a watcher): managers only. Default: the caller. */
  readonly userId?: string | undefined;
  readonly events: readonly string[];
  readonly channel: AlertChannel;
  readonly target?: string | undefined;
}

export interface AlertSubscriptionView {
  readonly record: AlertSubscriptionRecord;
  readonly user: { readonly id: UserId; readonly name: string; readonly hasEmail: boolean };
  readonly isMine: boolean;
  readonly delivery: AlertDeliveryState & { readonly lastError: string | null };
}

export interface AlertList {
  readonly subscriptions: AlertSubscriptionView[];
  /** May add and remove other people's alerts (manage on the entry). */
  readonly canManageWatchers: boolean;
}

/** What alerts are about: one entry, or every entry of a folder (and requests for the folder). */
export interface AlertTarget {
  readonly kind: "entry" | "folder";
  readonly id: string;
}

export interface AlertService {
  /** The caller's own alerts on the entry or folder; all of them for its managers. */
  list(actor: Actor, target: AlertTarget): Promise<AlertList>;
  /** The new alert, and for a webhook its signing secret (shown this once). */
  subscribe(actor: Actor, target: AlertTarget, input: SubscribeInput): Promise<{ view: AlertSubscriptionView; signingSecret: string | null }>;
  unsubscribe(actor: Actor, target: AlertTarget, subscriptionId: string): Promise<void>;
}

/** The recipient as policy is asked about them: their role and groups, never a session. */
export function recipientActor(user: UserRecord, groupIds: UserActor["groupIds"]): UserActor {
  return { kind: "user", userId: user.id, username: user.username, displayName: user.displayName, role: user.role, groupIds, sessionId: "" as SessionId, origin: { ip: "", userAgent: "", channel: "ui" } };
}

const EMPTY_STATE = { waiting: 0, delivered: 0, failed: 0, lastError: null } as const;
const nameOf = (user: UserRecord): string => user.displayName || user.username;

export function createAlertService(deps: {
  store: Pick<Store, "alertSubscriptions" | "users" | "groups" | "entries" | "folders">;
  access: Pick<AccessService, "inspect" | "mayOnFolder">;
  keyring: Pick<Keyring, "seal">;
  auditLog: AuditLog;
  clock: Clock;
  targets: TargetRule;
}): AlertService {
  const { store, access, keyring, auditLog, clock } = deps;

  interface Scoped {
    readonly scope: AlertScope;
    readonly name: string;
    readonly manages: boolean;
    /** What the audit event names: the entry, or the folder in its details. */
    readonly event: { entry?: { id: string; name: string }; folder?: { folderId: string; folderName: string } };
  }

  /** The entry or folder as the caller sees it: 404 when they may not see it (use it, for a folder); whether they manage it. */
  async function scopeOf(actor: Actor, target: AlertTarget): Promise<Scoped> {
    if (target.kind === "entry") {
      const inspection = await access.inspect(actor, target.id);
      if (inspection === undefined || !inspection.sees) throw notFound(problem("entry_not_found"));
      const name = (await store.entries.findEntry(target.id))?.name ?? "";
      return { scope: { kind: "entry", id: inspection.facts.id }, name, manages: inspection.decide("manage").allowed, event: { entry: { id: target.id, name } } };
    }
    if ((await access.mayOnFolder(actor, target.id, "use")) !== true) throw notFound(problem("folder_not_found"));
    const name = (await store.folders.findFolder(target.id))?.name ?? "";
    return { scope: { kind: "folder", id: target.id as FolderId }, name, manages: (await access.mayOnFolder(actor, target.id, "manage")) === true, event: { folder: { folderId: target.id, folderName: name } } };
  }

  async function mayUserSee(user: UserRecord, scope: AlertScope): Promise<boolean> {
    if (user.disabledAt !== null) return false;
    const subject = recipientActor(user, await store.groups.listGroupIdsOfUser(user.id));
    if (scope.kind === "folder") return (await access.mayOnFolder(subject, scope.id, "use")) === true;
    return (await access.inspect(subject, scope.id))?.sees === true;
  }

  async function viewsOf(records: readonly AlertSubscriptionRecord[], actor: Actor): Promise<AlertSubscriptionView[]> {
    const states = await store.alertSubscriptions.deliveryState(records.map((r) => r.id));
    const users = new Map<string, UserRecord | undefined>();
    for (const record of records) if (!users.has(record.userId)) users.set(record.userId, await store.users.findUserById(record.userId));
    return records.map((record) => {
      const user = users.get(record.userId);
      return {
        record,
        user: { id: record.userId, name: user === undefined ? record.userId : nameOf(user), hasEmail: user !== undefined && user.email !== null },
        isMine: record.userId === actor.userId,
        delivery: states.get(record.id) ?? EMPTY_STATE,
      };
    });
  }

  return {
    async list(actor, target) {
      const entry = await scopeOf(actor, target);
      const all = await store.alertSubscriptions.listSubscriptions(entry.scope);
      const shown = entry.manages ? all : all.filter((record) => record.userId === actor.userId);
      return { subscriptions: await viewsOf(shown, actor), canManageWatchers: entry.manages };
    },

    async subscribe(actor, about, input) {
      const entry = await scopeOf(actor, about);
      const events: AlertEventKind[] = checkEventKinds(input.events, "events");
      const userId = (input.userId ?? actor.userId) as UserId;
      if (userId !== actor.userId && !entry.manages) throw forbidden(problem("alert_watchers_forbidden"));
      const user = await store.users.findUserById(userId);
      if (user === undefined || user.disabledAt !== null) throw invalidInput(problem("alert_watcher_unknown"), "userId");
      if (userId !== actor.userId && !(await mayUserSee(user, entry.scope))) throw invalidInput(problem("alert_watcher_cannot_see"), "userId");

      let target: URL | undefined;
      if (input.channel === "email") {
        if (input.target !== undefined) throw invalidInput(problem("alert_target_not_expected"), "target");
        if (user.email === null) throw invalidInput(problem("alert_email_missing"), "channel");
      } else {
        if (input.target === undefined || input.target === "") throw invalidInput(problem("alert_target_required"), "target");
        target = checkTargetUrl(input.target, input.channel, deps.targets, "target");
      }
      const { scope } = entry;
      if ((await store.alertSubscriptions.countSubscriptions(scope)) >= MAX_SUBSCRIPTIONS_PER_SCOPE) {
        throw conflict(problem("alert_subscriptions_too_many", { count: MAX_SUBSCRIPTIONS_PER_SCOPE }));
      }

      const id = randomUUID();
      const signingSecret = input.channel === "webhook" ? `whsec_${randomBytes(32).toString("base64url")}` : null;
      const record: AlertSubscriptionRecord = {
        id,
        userId,
        scope,
        events,
        channel: input.channel,
        targetSealed: target === undefined ? null : keyring.seal(Secret.fromUtf8(target.href), targetBinding(id)),
        targetShown: target === undefined ? null : shownTargetOf(target),
        secretSealed: signingSecret === null ? null : keyring.seal(Secret.fromUtf8(signingSecret), secretBinding(id)),
        createdBy: actor.userId,
        createdAt: clock.now(),
      };
      const targetKey = target === undefined ? "" : createHash("sha256").update(target.href).digest("hex");
      try {
        await auditLog.commit(actor, {
          work: (tx) => tx.alertSubscriptions.insertSubscription({ ...record, targetKey }),
          events: () => [
            {
              action: "alert.subscribed",
              ...(entry.event.entry === undefined ? {} : { entry: entry.event.entry }),
              details: { subscriptionId: id, userId, channel: input.channel, events, ...entry.event.folder, ...(record.targetShown === null ? {} : { target: record.targetShown }) },
            },
          ],
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(problem("alert_subscription_exists"));
        throw error;
      }
      const [view] = await viewsOf([record], actor);
      return { view: view!, signingSecret };
    },

    async unsubscribe(actor, target, subscriptionId) {
      const entry = await scopeOf(actor, target);
      const record = await store.alertSubscriptions.findSubscription(subscriptionId);
      // Someone else's alert is invisible to a non-manager: the same 404 as none.
      if (record === undefined || record.scope.kind !== entry.scope.kind || record.scope.id !== entry.scope.id || (record.userId !== actor.userId && !entry.manages)) {
        throw notFound(NO_SUCH_SUBSCRIPTION);
      }
      const deleted = await auditLog.commit(actor, {
        work: (tx) => tx.alertSubscriptions.deleteSubscription(subscriptionId),
        events: (wasDeleted) =>
          wasDeleted ? [{ action: "alert.unsubscribed", ...(entry.event.entry === undefined ? {} : { entry: entry.event.entry }), details: { subscriptionId, userId: record.userId, channel: record.channel, ...entry.event.folder } }] : [],
      });
      if (!deleted) throw notFound(NO_SUCH_SUBSCRIPTION);
    },
  };
}
