// Single sign-on flows under way, as stored (migration 0018): any node can finish a flow another
// node started, and taking one deletes it, so a callback can be used once only.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export interface SsoFlowRecord {
  readonly idHash: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly nextPath: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface SsoFlowStore {
  insertFlow(flow: SsoFlowRecord): Promise<void>;
  /** Deletes the flow and returns it, or undefined when there is none (never started, or taken already). */
  takeFlow(idHash: string): Promise<SsoFlowRecord | undefined>;
  /** Forgets flows that expired before `now`. */
  deleteExpiredFlows(now: number): Promise<void>;
}

export function createSsoFlowStore(db: Kysely<Database>): SsoFlowStore {
  return {
    async insertFlow(flow) {
      await db
        .insertInto("sso_flows")
        .values({ id_hash: flow.idHash, state: flow.state, nonce: flow.nonce, code_verifier: flow.codeVerifier, next_path: flow.nextPath, created_at: flow.createdAt, expires_at: flow.expiresAt })
        .execute();
    },
    async takeFlow(idHash) {
      const row = await db.selectFrom("sso_flows").selectAll().where("id_hash", "=", idHash).executeTakeFirst();
      if (row === undefined) return undefined;
      // Two callbacks racing for one flow: only the one whose delete removed the row goes on.
      const deleted = await db.deleteFrom("sso_flows").where("id_hash", "=", idHash).executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) return undefined;
      return { idHash: row.id_hash, state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, nextPath: row.next_path, createdAt: row.created_at, expiresAt: row.expires_at };
    },
    async deleteExpiredFlows(now) {
      await db.deleteFrom("sso_flows").where("expires_at", "<", now).execute();
    },
  };
}
