// Step-up (issue 10): whether an entry or its folder asks for a fresh second factor before each
// code, and the marks of the sessions that gave one. A mark names the session by its id hash and
// the entry or folder it was for; it is only read back within the configured window.
import { sql, type Kysely } from "kysely";
import type { EntryId, FolderId } from "../core/ids.js";
import type { Database } from "./schema.js";

/** What a step-up is for: the entry whose own policy asks for it, else its folder. */
export type StepUpScope = { readonly kind: "entry"; readonly id: EntryId } | { readonly kind: "folder"; readonly id: FolderId };

export const scopeKey = (scope: StepUpScope): string => `${scope.kind}:${scope.id}`;

/** The step-up an entry's row asks for, from its own policy's and its folder policy's flags (left-joined: null when absent). */
export function stepUpScopeOf(row: { id: string; folder_id: string | null; entry_step_up: number | null; folder_step_up: number | null }): StepUpScope | null {
  if (Number(row.entry_step_up ?? 0) === 1) return { kind: "entry", id: row.id as EntryId };
  if (row.folder_id !== null && Number(row.folder_step_up ?? 0) === 1) return { kind: "folder", id: row.folder_id as FolderId };
  return null;
}

export interface StepUpStore {
  /** What a code of the entry needs a step-up for; null: none; undefined: no such entry. One query. */
  requirementOf(entryId: EntryId): Promise<StepUpScope | null | undefined>;
  /** Of these entries, the ones (with their scope) whose codes need a step-up. One query. */
  requirementsOf(entryIds: readonly EntryId[]): Promise<Map<EntryId, StepUpScope>>;
  /** When the session last passed a step-up for the scope; undefined: never. */
  passedAt(sessionHash: string, scope: StepUpScope): Promise<number | undefined>;
  /** The passed step-ups of a session, by scope key, since `since`. */
  passedSince(sessionHash: string, since: number): Promise<Map<string, number>>;
  markPassed(sessionHash: string, scope: StepUpScope, now: number): Promise<void>;
  /** Drops marks older than `before` (none of them can be used any more). */
  deleteMarksBefore(before: number): Promise<void>;
  setEntryStepUp(entryId: EntryId, required: boolean, now: number): Promise<void>;
  setFolderStepUp(folderId: FolderId, required: boolean, now: number): Promise<void>;
  isFolderStepUpRequired(folderId: FolderId): Promise<boolean>;
}

export function createStepUpStore(db: Kysely<Database>): StepUpStore {
  const requirements = (entryIds: readonly EntryId[]) =>
    db
      .selectFrom("entries as e")
      .leftJoin("entry_policies as ep", "ep.entry_id", "e.id")
      .leftJoin("folder_policies as fp", "fp.folder_id", "e.folder_id")
      .select(["e.id", "e.folder_id", sql<number | null>`ep.step_up_required`.as("entry_step_up"), sql<number | null>`fp.step_up_required`.as("folder_step_up")])
      .where("e.id", "in", entryIds)
      .execute();
  return {
    async requirementOf(entryId) {
      const [row] = await requirements([entryId]);
      return row === undefined ? undefined : stepUpScopeOf(row);
    },
    async requirementsOf(entryIds) {
      const found = new Map<EntryId, StepUpScope>();
      if (entryIds.length === 0) return found;
      for (const row of await requirements(entryIds)) {
        const scope = stepUpScopeOf(row);
        if (scope !== null) found.set(row.id as EntryId, scope);
      }
      return found;
    },
    async passedAt(sessionHash, scope) {
      const row = await db.selectFrom("step_ups").select("passed_at").where("session_hash", "=", sessionHash).where("scope", "=", scopeKey(scope)).executeTakeFirst();
      return row === undefined ? undefined : Number(row.passed_at);
    },
    async passedSince(sessionHash, since) {
      const rows = await db.selectFrom("step_ups").select(["scope", "passed_at"]).where("session_hash", "=", sessionHash).where("passed_at", ">", since).execute();
      return new Map(rows.map((row) => [row.scope, Number(row.passed_at)]));
    },
    async markPassed(sessionHash, scope, now) {
      await db
        .insertInto("step_ups")
        .values({ session_hash: sessionHash, scope: scopeKey(scope), passed_at: now })
        .onConflict((oc) => oc.columns(["session_hash", "scope"]).doUpdateSet({ passed_at: now }))
        .execute();
    },
    async deleteMarksBefore(before) {
      await db.deleteFrom("step_ups").where("passed_at", "<", before).execute();
    },
    async setEntryStepUp(entryId, required, now) {
      const value = required ? 1 : 0;
      await db
        .insertInto("entry_policies")
        .values({ entry_id: entryId, approvals_required: 0, emergency_access: 0, updated_at: now, step_up_required: value })
        .onConflict((oc) => oc.column("entry_id").doUpdateSet({ step_up_required: value, updated_at: now }))
        .execute();
    },
    async setFolderStepUp(folderId, required, now) {
      const value = required ? 1 : 0;
      await db
        .insertInto("folder_policies")
        .values({ folder_id: folderId, approver_group_id: null, updated_at: now, step_up_required: value })
        .onConflict((oc) => oc.column("folder_id").doUpdateSet({ step_up_required: value, updated_at: now }))
        .execute();
    },
    async isFolderStepUpRequired(folderId) {
      const row = await db.selectFrom("folder_policies").select("step_up_required").where("folder_id", "=", folderId).executeTakeFirst();
      return Number(row?.step_up_required ?? 0) === 1;
    },
  };
}
