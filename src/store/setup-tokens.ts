// The one-time setup link's token, stored as a hash; using it is a single atomic update.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export type SetupTokenState = "valid" | "used" | "expired" | "unknown";

export interface SetupTokenStore {
  insertSetupToken(tokenHash: string, now: number, expiresAt: number): Promise<void>;
  readSetupToken(tokenHash: string, now: number): Promise<SetupTokenState>;
  /** Marks the token used if it is still valid; true when this call used it. */
  consumeSetupToken(tokenHash: string, now: number): Promise<boolean>;
  deleteUnusedSetupTokens(): Promise<void>;
}

export function createSetupTokenStore(db: Kysely<Database>): SetupTokenStore {
  return {
    async insertSetupToken(tokenHash, now, expiresAt) {
      await db.insertInto("setup_tokens").values({ token_hash: tokenHash, created_at: now, expires_at: expiresAt, used_at: null }).execute();
    },
    async readSetupToken(tokenHash, now) {
      const row = await db.selectFrom("setup_tokens").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
      if (row === undefined) return "unknown";
      if (row.used_at !== null) return "used";
      return row.expires_at <= now ? "expired" : "valid";
    },
    async consumeSetupToken(tokenHash, now) {
      const result = await db
        .updateTable("setup_tokens")
        .set({ used_at: now })
        .where("token_hash", "=", tokenHash)
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteUnusedSetupTokens() {
      await db.deleteFrom("setup_tokens").where("used_at", "is", null).execute();
    },
  };
}
