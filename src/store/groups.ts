// Groups of users and their members, as stored. Grants to a group reach its members; which
// grants those are is core/policy.ts's business, not this file's.
import type { Kysely } from "kysely";
import { conflict, problem } from "../core/errors.js";
import type { GroupId, UserId } from "../core/ids.js";
import { nameKey } from "../core/name-key.js";
import { isUniqueViolation } from "./unique-violation.js";
import type { Database } from "./schema.js";

export interface GroupRecord {
  readonly id: GroupId;
  readonly name: string;
  readonly memberCount: number;
  readonly createdAt: number;
}

export interface GroupMemberRecord {
  readonly userId: UserId;
  readonly username: string;
  readonly displayName: string;
  readonly addedAt: number;
}

export interface GroupStore {
  /** Throws a conflict when another group has the same name (case and surrounding spaces ignored). */
  insertGroup(group: { readonly id: GroupId; readonly name: string }, now: number): Promise<void>;
  /** False when there is no such group. */
  renameGroup(id: GroupId, name: string, now: number): Promise<boolean>;
  /** Its memberships and grants go with it; false when there was no such group. */
  deleteGroup(id: GroupId): Promise<boolean>;
  findGroup(id: GroupId): Promise<GroupRecord | undefined>;
  findGroupByName(name: string): Promise<GroupRecord | undefined>;
  listGroups(): Promise<GroupRecord[]>;
  /** True when the user was added, false when already a member. */
  addMember(groupId: GroupId, userId: UserId, now: number): Promise<boolean>;
  removeMember(groupId: GroupId, userId: UserId): Promise<boolean>;
  listMembers(groupId: GroupId): Promise<GroupMemberRecord[]>;
  /** What an actor's groupIds are made of. */
  listGroupIdsOfUser(userId: UserId): Promise<GroupId[]>;
  /** Every user's groups at once (users in no group are absent), for questions about many users. */
  listGroupIdsOfEveryUser(): Promise<Map<UserId, GroupId[]>>;
}

export function createGroupStore(db: Kysely<Database>): GroupStore {
  const selectGroups = () =>
    db
      .selectFrom("groups as g")
      .select(["g.id", "g.name", "g.created_at"])
      .select((eb) => eb.selectFrom("group_members as m").whereRef("m.group_id", "=", "g.id").select((e) => e.fn.countAll<number>().as("n")).as("member_count"));
  const toRecord = (row: { id: string; name: string; created_at: number; member_count: number | string | null }): GroupRecord => ({
    id: row.id as GroupId,
    name: row.name,
    memberCount: Number(row.member_count ?? 0),
    createdAt: row.created_at,
  });
  const taken = (name: string) => conflict(problem("group_name_taken", { name }), "name");
  return {
    async insertGroup(group, now) {
      try {
        await db.insertInto("groups").values({ id: group.id, name: group.name, name_key: nameKey(group.name), created_at: now, updated_at: now }).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw taken(group.name);
        throw error;
      }
    },
    async renameGroup(id, name, now) {
      try {
        const result = await db.updateTable("groups").set({ name, name_key: nameKey(name), updated_at: now }).where("id", "=", id).executeTakeFirst();
        return Number(result.numUpdatedRows) === 1;
      } catch (error) {
        if (isUniqueViolation(error)) throw taken(name);
        throw error;
      }
    },
    async deleteGroup(id) {
      const result = await db.deleteFrom("groups").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async findGroup(id) {
      const row = await selectGroups().where("g.id", "=", id).executeTakeFirst();
      return row && toRecord(row);
    },
    async findGroupByName(name) {
      const row = await selectGroups().where("g.name_key", "=", nameKey(name)).executeTakeFirst();
      return row && toRecord(row);
    },
    async listGroups() {
      return (await selectGroups().orderBy("g.name_key").execute()).map(toRecord);
    },
    async addMember(groupId, userId, now) {
      const result = await db
        .insertInto("group_members")
        .values({ group_id: groupId, user_id: userId, added_at: now })
        .onConflict((oc) => oc.columns(["group_id", "user_id"]).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async removeMember(groupId, userId) {
      const result = await db.deleteFrom("group_members").where("group_id", "=", groupId).where("user_id", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async listMembers(groupId) {
      const rows = await db
        .selectFrom("group_members as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["u.id", "u.username", "u.display_name", "m.added_at"])
        .where("m.group_id", "=", groupId)
        .orderBy("u.username")
        .execute();
      return rows.map((r) => ({ userId: r.id as UserId, username: r.username, displayName: r.display_name, addedAt: r.added_at }));
    },
    async listGroupIdsOfUser(userId) {
      const rows = await db.selectFrom("group_members").select("group_id").where("user_id", "=", userId).orderBy("group_id").execute();
      return rows.map((r) => r.group_id as GroupId);
    },
    async listGroupIdsOfEveryUser() {
      const rows = await db.selectFrom("group_members").select(["user_id", "group_id"]).orderBy("user_id").orderBy("group_id").execute();
      const groups = new Map<UserId, GroupId[]>();
      for (const row of rows) {
        const list = groups.get(row.user_id as UserId) ?? [];
        list.push(row.group_id as GroupId);
        groups.set(row.user_id as UserId, list);
      }
      return groups;
    },
  };
}
