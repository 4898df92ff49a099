// Push approval's rows: registered devices, the requests sent to them, and the VAPID key pair.
// Every change of a request's state is one conditional UPDATE on its status, so a request is
// decided once and used once even when two nodes race.
import type { Kysely, Selectable } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database } from "./schema.js";
import { isUniqueViolation } from "./unique-violation.js";
import type { PushDevicesTable, PushRequestsTable, PushRequestStatus } from "./schema-push-approval.js";

export interface PushSubscriptionRecord {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

export interface PushDeviceRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly deviceTokenHash: string;
  readonly name: string;
  readonly subscription: PushSubscriptionRecord | null;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

export interface PushRequestRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly challengeHash: string;
  /** 1, 2, 3… within the challenge. */
  readonly seq: number;
  readonly number: number;
  readonly choices: readonly number[];
  readonly ip: string;
  readonly userAgent: string;
  readonly status: PushRequestStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly decidedAt: number | null;
  readonly decidedByDevice: string | null;
  readonly usedAt: number | null;
}

export interface VapidKeyRecord {
  readonly publicKey: string;
  readonly privateKeySealed: Buffer;
  readonly createdAt: number;
}

export interface PushApprovalStore {
  /**
   * Adds the device, or updates its name and subscription when this browser was registered before;
   * "too_many" (and nothing changed) when it is new and the user has `limit` devices already.
   */
  upsertDevice(record: Omit<PushDeviceRecord, "lastUsedAt">, limit: number): Promise<PushDeviceRecord | "too_many">;
  listDevicesOfUser(userId: UserId): Promise<PushDeviceRecord[]>;
  findDeviceByToken(userId: UserId, deviceTokenHash: string): Promise<PushDeviceRecord | undefined>;
  deleteDevice(userId: UserId, id: string): Promise<boolean>;
  /** Forgets a subscription the push service said is gone (404/410). */
  clearSubscription(id: string): Promise<void>;
  touchDevice(id: string, now: number): Promise<void>;

  /**
   * Adds a request; false when the challenge already has one of that `seq` (another request of
   * the same sign-in raced this one and won: the unique index on challenge and seq).
   */
  insertRequest(record: Omit<PushRequestRecord, "status" | "decidedAt" | "decidedByDevice" | "usedAt">): Promise<boolean>;
  findRequest(id: string): Promise<PushRequestRecord | undefined>;
  /** The newest request of a sign-in challenge. */
  findLatestRequestOfChallenge(challengeHash: string): Promise<PushRequestRecord | undefined>;
  listPendingRequestsOfUser(userId: UserId, now: number): Promise<PushRequestRecord[]>;
  /** pending and unexpired → `to`; true for the one caller that moved it. */
  decideRequest(id: string, to: "approved" | "denied", now: number, deviceId: string): Promise<boolean>;
  /** pending and expired → expired; true for the one caller that moved it. */
  expireRequest(id: string, now: number): Promise<boolean>;
  /** approved, unexpired → used; true for the one caller that used it. */
  useRequest(id: string, now: number): Promise<boolean>;
  /**
   * Requests of the challenge created at or after `createdSince` (0: all of them) that were not
   * approved: pending, denied or expired. The limit they feed is against pressing on a person
   * (push fatigue); one who approved, whether the approval was used yet or not, was not pressed.
   */
  countUnapprovedRequestsOfChallenge(challengeHash: string, createdSince?: number): Promise<number>;
  /** Any still-pending request of the challenge older than `seq` → expired (the newer request replaces it). */
  supersedeRequests(challengeHash: string, seq: number, now: number): Promise<void>;
  deleteRequestsBefore(before: number): Promise<number>;

  readVapidKey(): Promise<VapidKeyRecord | undefined>;
  /** Rejects a second key (primary key "vapid"), so two nodes cannot both create one. */
  insertVapidKey(record: VapidKeyRecord): Promise<void>;
}

const deviceOf = (row: Selectable<PushDevicesTable>): PushDeviceRecord => ({
  id: row.id,
  userId: row.user_id as UserId,
  deviceTokenHash: row.device_token_hash,
  name: row.name,
  subscription: row.push_endpoint !== null && row.push_p256dh !== null && row.push_auth !== null ? { endpoint: row.push_endpoint, p256dh: row.push_p256dh, auth: row.push_auth } : null,
  createdAt: Number(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
});

const requestOf = (row: Selectable<PushRequestsTable>): PushRequestRecord => ({
  id: row.id,
  userId: row.user_id as UserId,
  challengeHash: row.challenge_hash,
  seq: Number(row.seq),
  number: Number(row.number),
  choices: (JSON.parse(row.choices) as unknown[]).map(Number),
  ip: row.ip,
  userAgent: row.user_agent,
  status: row.status,
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
  decidedAt: row.decided_at === null ? null : Number(row.decided_at),
  decidedByDevice: row.decided_by_device,
  usedAt: row.used_at === null ? null : Number(row.used_at),
});

const VAPID_ID = "vapid";

export function createPushApprovalStore(db: Kysely<Database>): PushApprovalStore {
  const findDeviceByToken = async (userId: UserId, deviceTokenHash: string, on: Kysely<Database> = db) => {
    const row = await on.selectFrom("push_devices").selectAll().where("user_id", "=", userId).where("device_token_hash", "=", deviceTokenHash).executeTakeFirst();
    return row && deviceOf(row);
  };
  const findRequest = async (id: string) => {
    const row = await db.selectFrom("push_requests").selectAll().where("id", "=", id).executeTakeFirst();
    return row && requestOf(row);
  };
  const insertRequestRow = (r: Parameters<PushApprovalStore["insertRequest"]>[0]) =>
    db
      .insertInto("push_requests")
      .values({
        id: r.id,
        user_id: r.userId,
        challenge_hash: r.challengeHash,
        seq: r.seq,
        number: r.number,
        choices: JSON.stringify(r.choices),
        ip: r.ip,
        user_agent: r.userAgent,
        status: "pending",
        created_at: r.createdAt,
        expires_at: r.expiresAt,
        decided_at: null,
        decided_by_device: null,
        used_at: null,
      })
      .execute();
  const changed = (result: { numUpdatedRows: bigint }) => Number(result.numUpdatedRows) === 1;
  return {
    async upsertDevice(r, limit) {
      const subscription = { push_endpoint: r.subscription?.endpoint ?? null, push_p256dh: r.subscription?.p256dh ?? null, push_auth: r.subscription?.auth ?? null };
      return db.transaction().execute(async (trx) => {
        // The user's row is locked first (a no-op update, the same SQL on both dialects), so two
        // new browsers registering at the same moment (two nodes) cannot both find room for one.
        await trx.updateTable("users").set((eb) => ({ updated_at: eb.ref("updated_at") })).where("id", "=", r.userId).execute();
        if ((await findDeviceByToken(r.userId, r.deviceTokenHash, trx)) === undefined) {
          const { count } = await trx.selectFrom("push_devices").select((eb) => eb.fn.countAll<number | string>().as("count")).where("user_id", "=", r.userId).executeTakeFirstOrThrow();
          if (Number(count) >= limit) return "too_many";
        }
        // Under the lock a read-then-insert would do; ON CONFLICT … DO UPDATE keeps the device's
        // id, creation time and last use in one statement.
        await trx
          .insertInto("push_devices")
          .values({ id: r.id, user_id: r.userId, device_token_hash: r.deviceTokenHash, name: r.name, ...subscription, created_at: r.createdAt, last_used_at: null })
          .onConflict((oc) => oc.columns(["user_id", "device_token_hash"]).doUpdateSet({ name: r.name, ...subscription }))
          .execute();
        return (await findDeviceByToken(r.userId, r.deviceTokenHash, trx))!;
      });
    },
    async listDevicesOfUser(userId) {
      return (await db.selectFrom("push_devices").selectAll().where("user_id", "=", userId).orderBy("created_at").orderBy("id").execute()).map(deviceOf);
    },
    findDeviceByToken: (userId, deviceTokenHash) => findDeviceByToken(userId, deviceTokenHash),
    async deleteDevice(userId, id) {
      const result = await db.deleteFrom("push_devices").where("user_id", "=", userId).where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async clearSubscription(id) {
      await db.updateTable("push_devices").set({ push_endpoint: null, push_p256dh: null, push_auth: null }).where("id", "=", id).execute();
    },
    async touchDevice(id, now) {
      await db.updateTable("push_devices").set({ last_used_at: now }).where("id", "=", id).execute();
    },

    async insertRequest(r) {
      try {
        await insertRequestRow(r);
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    findRequest,
    async findLatestRequestOfChallenge(challengeHash) {
      const row = await db.selectFrom("push_requests").selectAll().where("challenge_hash", "=", challengeHash).orderBy("seq", "desc").executeTakeFirst();
      return row && requestOf(row);
    },
    async listPendingRequestsOfUser(userId, now) {
      const rows = await db.selectFrom("push_requests").selectAll().where("user_id", "=", userId).where("status", "=", "pending").where("expires_at", ">", now).orderBy("created_at").execute();
      return rows.map(requestOf);
    },
    async decideRequest(id, to, now, deviceId) {
      return changed(
        await db.updateTable("push_requests").set({ status: to, decided_at: now, decided_by_device: deviceId }).where("id", "=", id).where("status", "=", "pending").where("expires_at", ">", now).executeTakeFirst(),
      );
    },
    async expireRequest(id, now) {
      return changed(await db.updateTable("push_requests").set({ status: "expired", decided_at: now }).where("id", "=", id).where("status", "=", "pending").where("expires_at", "<=", now).executeTakeFirst());
    },
    async useRequest(id, now) {
      return changed(await db.updateTable("push_requests").set({ status: "used", used_at: now }).where("id", "=", id).where("status", "=", "approved").where("expires_at", ">", now).executeTakeFirst());
    },
    async countUnapprovedRequestsOfChallenge(challengeHash, createdSince = 0) {
      const row = await db
        .selectFrom("push_requests")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("challenge_hash", "=", challengeHash)
        .where("created_at", ">=", createdSince)
        .where("status", "in", ["pending", "denied", "expired"])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async supersedeRequests(challengeHash, seq, now) {
      await db.updateTable("push_requests").set({ status: "expired", decided_at: now }).where("challenge_hash", "=", challengeHash).where("seq", "<", seq).where("status", "=", "pending").execute();
    },
    async deleteRequestsBefore(before) {
      const result = await db.deleteFrom("push_requests").where("expires_at", "<=", before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async readVapidKey() {
      const row = await db.selectFrom("vapid_keys").selectAll().where("id", "=", VAPID_ID).executeTakeFirst();
      return row && { publicKey: row.public_key, privateKeySealed: Buffer.from(row.private_key_sealed), createdAt: Number(row.created_at) };
    },
    async insertVapidKey(r) {
      await db.insertInto("vapid_keys").values({ id: VAPID_ID, public_key: r.publicKey, private_key_sealed: r.privateKeySealed, created_at: r.createdAt }).execute();
    },
  };
}
