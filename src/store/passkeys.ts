// Passkey records and WebAuthn challenges. A challenge is used by one conditional UPDATE (unused,
// unexpired, same purpose and binding), and a signature counter moves by compare-and-set, so two
// nodes answering the same assertion at once cannot both accept it.
import type { Kysely, Selectable } from "kysely";
import type { UserId } from "../core/ids.js";
import type { Database } from "./schema.js";
import type { ChallengePurpose, WebAuthnCredentialsTable } from "./schema-passkeys.js";

export interface PasskeyRecord {
  readonly id: string;
  readonly userId: UserId;
  readonly credentialId: string;
  readonly publicKey: Buffer;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly name: string;
  readonly deviceType: "singleDevice" | "multiDevice";
  readonly isBackedUp: boolean;
  readonly isDiscoverable: boolean;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

export interface ChallengeRecord {
  readonly challenge: string;
  readonly purpose: ChallengePurpose;
  readonly binding: string;
  readonly userId: UserId | null;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface PasskeyStore {
  insertPasskey(passkey: PasskeyRecord): Promise<void>;
  listPasskeysOfUser(userId: UserId): Promise<PasskeyRecord[]>;
  countPasskeysOfUser(userId: UserId): Promise<number>;
  findPasskeyByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined>;
  renamePasskey(userId: UserId, id: string, name: string): Promise<boolean>;
  deletePasskey(userId: UserId, id: string): Promise<boolean>;
  /**
   * Records a use: the counter moves from `expected` to `next` only if it is still `expected`
   * (false: another node took this counter value first, or the key is gone).
   */
  recordPasskeyUse(id: string, expected: number, next: number, now: number): Promise<boolean>;
  insertChallenge(challenge: ChallengeRecord): Promise<void>;
  /** Marks the challenge used and answers it, if it is unused, unexpired and bound as given; else undefined. */
  consumeChallenge(challenge: string, purpose: ChallengePurpose, binding: string, now: number): Promise<ChallengeRecord | undefined>;
  deleteExpiredChallenges(now: number): Promise<number>;
}

const toPasskey = (row: Selectable<WebAuthnCredentialsTable>): PasskeyRecord => ({
  id: row.id,
  userId: row.user_id as UserId,
  credentialId: row.credential_id,
  publicKey: Buffer.from(row.public_key),
  counter: Number(row.counter),
  transports: JSON.parse(row.transports) as string[],
  name: row.name,
  deviceType: row.device_type,
  isBackedUp: Number(row.is_backed_up) === 1,
  isDiscoverable: Number(row.is_discoverable) === 1,
  createdAt: Number(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
});

export function createPasskeyStore(db: Kysely<Database>): PasskeyStore {
  return {
    async insertPasskey(p) {
      await db
        .insertInto("webauthn_credentials")
        .values({
          id: p.id,
          user_id: p.userId,
          credential_id: p.credentialId,
          public_key: p.publicKey,
          counter: p.counter,
          transports: JSON.stringify(p.transports),
          name: p.name,
          device_type: p.deviceType,
          is_backed_up: p.isBackedUp ? 1 : 0,
          is_discoverable: p.isDiscoverable ? 1 : 0,
          created_at: p.createdAt,
          last_used_at: p.lastUsedAt,
        })
        .execute();
    },
    async listPasskeysOfUser(userId) {
      const rows = await db.selectFrom("webauthn_credentials").selectAll().where("user_id", "=", userId).orderBy("created_at").orderBy("id").execute();
      return rows.map(toPasskey);
    },
    async countPasskeysOfUser(userId) {
      const row = await db.selectFrom("webauthn_credentials").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async findPasskeyByCredentialId(credentialId) {
      const row = await db.selectFrom("webauthn_credentials").selectAll().where("credential_id", "=", credentialId).executeTakeFirst();
      return row && toPasskey(row);
    },
    async renamePasskey(userId, id, name) {
      const result = await db.updateTable("webauthn_credentials").set({ name }).where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deletePasskey(userId, id) {
      const result = await db.deleteFrom("webauthn_credentials").where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async recordPasskeyUse(id, expected, next, now) {
      const result = await db.updateTable("webauthn_credentials").set({ counter: next, last_used_at: now }).where("id", "=", id).where("counter", "=", expected).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async insertChallenge(c) {
      await db
        .insertInto("webauthn_challenges")
        .values({ challenge: c.challenge, purpose: c.purpose, binding: c.binding, user_id: c.userId, created_at: c.createdAt, expires_at: c.expiresAt, consumed_at: null })
        .execute();
    },
    async consumeChallenge(challenge, purpose, binding, now) {
      const row = await db
        .updateTable("webauthn_challenges")
        .set({ consumed_at: now })
        .where("challenge", "=", challenge)
        .where("purpose", "=", purpose)
        .where("binding", "=", binding)
        .where("consumed_at", "is", null)
        .where("expires_at", ">", now)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        challenge: row.challenge,
        purpose: row.purpose,
        binding: row.binding,
        userId: row.user_id as UserId | null,
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
      };
    },
    async deleteExpiredChallenges(now) {
      // Used ones are kept until they expire too, so a replay is told apart from nothing at all in tests.
      const result = await db.deleteFrom("webauthn_challenges").where("expires_at", "<=", now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
