// Alert subscriptions and how their deliveries went (the deliveries themselves wait in the outbox). Addresses and webhook secrets arrive
// sealed (services/alerts.ts seals them with the keyring) and leave sealed; the store never sees
// them in the clear. The store decides no permission: services/alerts.ts asks policy first.
import type { Kysely, Selectable } from "kysely";
import { ALERT_EVENT_KINDS, type AlertChannel, type AlertEventKind } from "../core/alerts.js";
import type { EntryId, FolderId, UserId } from "../core/ids.js";
import type { AlertSubscriptionsTable } from "./schema-alerts.js";
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

export interface AlertDeliveryState {
  /** In the outbox: to be sent, or retried. */
  readonly waiting: number;
  readonly delivered: number;
  /** Given up on. */
  readonly failed: number;
  readonly lastError: string | null;
}

/** The outbox destination alerts wait in (services/alert-delivery.ts), and the start of each one's payload. */
export const ALERT_DESTINATION = "alerts";
export const alertPayloadPrefix = (subscriptionId: string): string => `{"subscriptionId":${JSON.stringify(subscriptionId)},`;

export interface AlertSubscriptionStore {
  /** Throws a unique violation when the same person, scope, channel and target exist. */
  insertSubscription(record: NewAlertSubscription): Promise<void>;
  findSubscription(id: string): Promise<AlertSubscriptionRecord | undefined>;
  /** Oldest first. */
  listSubscriptions(scope: AlertScope): Promise<AlertSubscriptionRecord[]>;
  /** The subscriptions on any of these entries and folders, oldest first: one query for a whole batch of events. */
  listSubscriptionsCovering(scopes: { readonly entryIds: readonly string[]; readonly folderIds: readonly string[] }): Promise<AlertSubscriptionRecord[]>;
  countSubscriptions(scope: AlertScope): Promise<number>;
  /** True when this call deleted it. */
  deleteSubscription(id: string): Promise<boolean>;

  /** One alert delivered, or failed (given up when `isGivenUp`), for the subscription's counts. */
  noteDelivered(id: string, at: number): Promise<void>;
  noteFailure(id: string, at: number, error: string, isGivenUp: boolean): Promise<void>;
  /** Counts per subscription, with what still waits in the outbox. */
  deliveryState(subscriptionIds: readonly string[]): Promise<ReadonlyMap<string, AlertDeliveryState>>;
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

    async listSubscriptionsCovering({ entryIds, folderIds }) {
      const keys = [...new Set([...entryIds.map((id) => `entry:${id}`), ...folderIds.map((id) => `folder:${id}`)])];
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

    async noteDelivered(id, at) {
      await db
        .updateTable("alert_subscriptions")
        .set((eb) => ({ delivered_count: eb("delivered_count", "+", 1), last_delivered_at: at }))
        .where("id", "=", id)
        .execute();
    },

    async noteFailure(id, at, error, isGivenUp) {
      await db
        .updateTable("alert_subscriptions")
        .set((eb) => ({ failed_count: eb("failed_count", "+", isGivenUp ? 1 : 0), last_error: error.slice(0, 300), last_error_at: at }))
        .where("id", "=", id)
        .execute();
    },

    async deliveryState(subscriptionIds) {
      const state = new Map<string, AlertDeliveryState>();
      if (subscriptionIds.length === 0) return state;
      const rows = await db.selectFrom("alert_subscriptions").select(["id", "delivered_count", "failed_count", "last_error", "last_error_at", "last_delivered_at"]).where("id", "in", subscriptionIds).execute();
      for (const row of rows) {
        // Messages of one subscription start with its id (see alertPayloadPrefix); a UUID holds no LIKE wildcard.
        const waiting = await db
          .selectFrom("outbox_messages")
          .select((eb) => eb.fn.countAll<string | number>().as("n"))
          .where("destination", "=", ALERT_DESTINATION)
          .where("payload", "like", `${alertPayloadPrefix(row.id)}%`)
          .executeTakeFirstOrThrow();
        const isErrorLatest = row.last_error_at !== null && (row.last_delivered_at === null || Number(row.last_error_at) > Number(row.last_delivered_at));
        state.set(row.id, { waiting: Number(waiting.n), delivered: Number(row.delivered_count), failed: Number(row.failed_count), lastError: isErrorLatest ? row.last_error : null });
      }
      return state;
    },
  };
}
