// The administrators' MFA rule (issue 10): who must have a second factor (nobody, everyone, or the
// members of some groups) and which methods count. One row; no row reads as "off".
import type { Kysely } from "kysely";
import type { GroupId, UserId } from "../core/ids.js";
import type { Database } from "./schema.js";

export type MfaEnforcementScope = "off" | "everyone" | "groups";

export interface MfaEnforcementRecord {
  readonly scope: MfaEnforcementScope;
  readonly methods: readonly string[];
  readonly groupIds: readonly GroupId[];
  readonly updatedAt: number | null;
  readonly updatedBy: UserId | null;
}

export interface MfaEnforcementStore {
  readEnforcement(): Promise<MfaEnforcementRecord>;
  /** Replaces the rule and its groups; run it in a transaction. */
  writeEnforcement(rule: Omit<MfaEnforcementRecord, "updatedAt" | "updatedBy">, by: UserId, now: number): Promise<void>;
  /** How many users other than `userId` exist (disabled ones too). */
  countOtherUsers(userId: UserId): Promise<number>;
}

export function createMfaEnforcementStore(db: Kysely<Database>): MfaEnforcementStore {
  return {
    async readEnforcement() {
      const row = await db.selectFrom("mfa_enforcement").selectAll().where("id", "=", 1).executeTakeFirst();
      if (row === undefined) return { scope: "off", methods: [], groupIds: [], updatedAt: null, updatedBy: null };
      const groups = row.scope === "groups" ? await db.selectFrom("mfa_enforcement_groups").select("group_id").orderBy("group_id").execute() : [];
      const methods: unknown = JSON.parse(row.methods);
      return {
        scope: row.scope,
        methods: Array.isArray(methods) ? methods.filter((m): m is string => typeof m === "string") : [],
        groupIds: groups.map((g) => g.group_id as GroupId),
        updatedAt: Number(row.updated_at),
        updatedBy: row.updated_by as UserId | null,
      };
    },
    async writeEnforcement(rule, by, now) {
      const values = { scope: rule.scope, methods: JSON.stringify(rule.methods), updated_at: now, updated_by: by };
      await db
        .insertInto("mfa_enforcement")
        .values({ id: 1, ...values })
        .onConflict((oc) => oc.column("id").doUpdateSet(values))
        .execute();
      await db.deleteFrom("mfa_enforcement_groups").execute();
      if (rule.scope === "groups" && rule.groupIds.length > 0) {
        await db.insertInto("mfa_enforcement_groups").values(rule.groupIds.map((id) => ({ group_id: id }))).execute();
      }
    },
    async countOtherUsers(userId) {
      const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("id", "<>", userId).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
