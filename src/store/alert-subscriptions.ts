// Alert subscriptions and the deliveries waiting to be sent. Addresses and webhook secrets arrive
// sealed (services/alerts.ts seals them with the keyring) and leave sealed; the store never sees
// them in the clear. The store decides no permission: services/alerts.ts asks policy first.
import type { Kysely, Selectable } from "kysely";
import { ALERT_EVENT_KINDS, type AlertChannel, type AlertEventKind } from "../core/alerts.js";
import type { EntryId, FolderId, UserId } from "../core/ids.js";
import type { AlertDeliveriesTable, AlertSubscriptionsTable } from "./schema-alerts.js";
import type { Database } from "./schema.js";

export type AlertScope = { readonly kind: "entry"; readonly id: EntryId } | { readonly kind: "folder"; readonly id: FolderId };

export interface AlertSubscriptionRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly scope: AlertScope;
  readonly events: readonly AlertEventKind[];
  readonly channel: AlertChannel;
  readonly targetSealed: Buffer | null;
  readonly targetShown: string | null;
  readonly secretSealed: Buffer | null;
  readonly createdBy: UserId | null;
  readonly createdAt: number;
}

export interface NewAlertSubscription extends AlertSubscriptionRecord {
  /** SHA-256 of the address ("" for e-mail): one alert per person, scope, channel and target. */
  readonly targetKey: string;
}

export interface NewAlertDelivery {
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly facts: string;
  readonly createdAt: number;
}

export interface DueAlertDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly facts: string;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly subscription: AlertSubscriptionRecord;
}

export interface AlertDeliveryState {
  readonly waiting: number;
  readonly delivered: number;
  readonly failed: number;
}

export interface AlertSubscriptionStore {
  /** Throws a unique violation when the same person, scope, channel and target exist. */
  insertSubscription(record: NewAlertSubscription): Promise<void>;
  findSubscription(id: string): Promise<AlertSubscriptionRecord | undefined>;
  /** Oldest first. */
  listSubscriptions(scope: AlertScope): Promise<AlertSubscriptionRecord[]>;
  /** The subscriptions on the entry and on its folder. */
  listSubscriptionsCovering(entryId: string | null, folderId: string | null): Promise<AlertSubscriptionRecord[]>;
  countSubscriptions(scope: AlertScope): Promise<number>;
  /** True when this call deleted it. */
  deleteSubscription(id: string): Promise<boolean>;

  enqueueDeliveries(deliveries: readonly NewAlertDelivery[]): Promise<void>;
  /** Deliveries neither sent nor given up whose time has come, oldest first. */
  listDueDeliveries(now: number, limit: number): Promise<DueAlertDelivery[]>;
  /** Moves a due delivery's next attempt to `until` if it is still `expected`: true for the one node that wins it. */
  claimDelivery(id: string, expected: number, until: number): Promise<boolean>;
  markDelivered(id: string, at: number, attempts: number): Promise<void>;
  markRetry(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  markFailed(id: string, at: number, attempts: number, error: string): Promise<void>;
  deliveryState(subscriptionIds: readonly string[]): Promise<ReadonlyMap<string, AlertDeliveryState & { lastError: string | null }>>;
}

type SubscriptionRow = Selectable<AlertSubscriptionsTable>;

const KNOWN = new Set<string>(ALERT_EVENT_KINDS);

function subscriptionOfRow(row: SubscriptionRow): AlertSubscriptionRecord {
  return {
    id: row.id,
    userId: row.user_id as UserId,
    scope: row.entry_id !== null ? { kind: "entry", id: row.entry_id as EntryId } : { kind: "folder", id: row.folder_id as FolderId },
    // A kind this version does not know (a newer one wrote it) is left out, not guessed at.
    events: row.events.split(",").filter((kind): kind is AlertEventKind => KNOWN.has(kind)),
    channel: row.channel,
    targetSealed: row.target_sealed === null ? null : Buffer.from(row.target_sealed),
    targetShown: row.target_shown,
    secretSealed: row.secret_sealed === null ? null : Buffer.from(row.secret_sealed),
    createdBy: row.created_by as UserId | null,
    createdAt: Number(row.created_at),
  };
}

const scopeKeyOf = (scope: AlertScope): string => `${scope.kind}:${scope.id}`;

export function createAlertSubscriptionStore(db: Kysely<Database>): AlertSubscriptionStore {
  const subscriptions = () => db.selectFrom("alert_subscriptions").selectAll();
  return {
    async insertSubscription(record) {
      await db
        .insertInto("alert_subscriptions")
        .values({
          id: record.id,
          user_id: record.userId,
          entry_id: record.scope.kind === "entry" ? record.scope.id : null,
          folder_id: record.scope.kind === "folder" ? record.scope.id : null,
          scope_key: scopeKeyOf(record.scope),
          events: record.events.join(","),
          channel: record.channel,
          target_sealed: record.targetSealed,
          target_shown: record.targetShown,
          target_key: record.targetKey,
          secret_sealed: record.secretSealed,
          created_by: record.createdBy,
          created_at: record.createdAt,
        })
        .execute();
    },

    async findSubscription(id) {
      const row = await subscriptions().where("id", "=", id).executeTakeFirst();
      return row === undefined ? undefined : subscriptionOfRow(row);
    },

    async listSubscriptions(scope) {
      const rows = await subscriptions().where("scope_key", "=", scopeKeyOf(scope)).orderBy("created_at").orderBy("id").execute();
      return rows.map(subscriptionOfRow);
    },

    async listSubscriptionsCovering(entryId, folderId) {
      const keys = [...(entryId === null ? [] : [`entry:${entryId}`]), ...(folderId === null ? [] : [`folder:${folderId}`])];
      if (keys.length === 0) return [];
      const rows = await subscriptions().where("scope_key", "in", keys).orderBy("created_at").orderBy("id").execute();
      return rows.map(subscriptionOfRow);
    },

    async countSubscriptions(scope) {
      const row = await db.selectFrom("alert_subscriptions").select((eb) => eb.fn.countAll<string | number>().as("n")).where("scope_key", "=", scopeKeyOf(scope)).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async deleteSubscription(id) {
      const result = await db.deleteFrom("alert_subscriptions").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async enqueueDeliveries(deliveries) {
      if (deliveries.length === 0) return;
      const rows: AlertDeliveriesTable[] = deliveries.map((d) => ({
        id: d.id,
        subscription_id: d.subscriptionId,
        event_id: d.eventId,
        facts: d.facts,
        created_at: d.createdAt,
        attempts: 0,
        next_attempt_at: d.createdAt,
        delivered_at: null,
        failed_at: null,
        last_error: null,
      }));
      // A batch of audit events holds at most a few hundred alerts; chunks keep under SQLite's bind limit.
      for (let i = 0; i < rows.length; i += 200) await db.insertInto("alert_deliveries").values(rows.slice(i, i + 200)).execute();
    },

    async listDueDeliveries(now, limit) {
      const rows = await db
        .selectFrom("alert_deliveries as d")
        .innerJoin("alert_subscriptions as s", "s.id", "d.subscription_id")
        .selectAll("s")
        .select(["d.id as delivery_id", "d.event_id", "d.facts", "d.attempts", "d.next_attempt_at"])
        .where("d.delivered_at", "is", null)
        .where("d.failed_at", "is", null)
        .where("d.next_attempt_at", "<=", now)
        .orderBy("d.created_at")
        .orderBy("d.id")
        .limit(limit)
        .execute();
      return rows.map((row) => ({ id: row.delivery_id, eventId: row.event_id, facts: row.facts, attempts: Number(row.attempts), nextAttemptAt: Number(row.next_attempt_at), subscription: subscriptionOfRow(row) }));
    },

    async claimDelivery(id, expected, until) {
      const result = await db.updateTable("alert_deliveries").set({ next_attempt_at: until }).where("id", "=", id).where("next_attempt_at", "=", expected).where("delivered_at", "is", null).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async markDelivered(id, at, attempts) {
      await db.updateTable("alert_deliveries").set({ delivered_at: at, attempts, last_error: null }).where("id", "=", id).execute();
    },

    async markRetry(id, attempts, nextAttemptAt, error) {
      await db.updateTable("alert_deliveries").set({ attempts, next_attempt_at: nextAttemptAt, last_error: error }).where("id", "=", id).execute();
    },

    async markFailed(id, at, attempts, error) {
      await db.updateTable("alert_deliveries").set({ failed_at: at, attempts, last_error: error }).where("id", "=", id).execute();
    },

    async deliveryState(subscriptionIds) {
      const state = new Map<string, AlertDeliveryState & { lastError: string | null }>();
      if (subscriptionIds.length === 0) return state;
      const rows = await db.selectFrom("alert_deliveries").select(["subscription_id", "delivered_at", "failed_at", "last_error", "created_at"]).where("subscription_id", "in", subscriptionIds).orderBy("created_at").execute();
      for (const row of rows) {
        const now = state.get(row.subscription_id) ?? { waiting: 0, delivered: 0, failed: 0, lastError: null };
        state.set(row.subscription_id, {
          waiting: now.waiting + (row.delivered_at === null && row.failed_at === null ? 1 : 0),
          delivered: now.delivered + (row.delivered_at === null ? 0 : 1),
          failed: now.failed + (row.failed_at === null ? 0 : 1),
          lastError: row.delivered_at === null ? (row.last_error ?? now.lastError) : now.lastError,
        });
      }
      return state;
    },
  };
}
