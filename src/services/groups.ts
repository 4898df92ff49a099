// Groups of users: create, rename, delete, add and remove members. Administrators only; every
// change is audited in its own transaction. Names are unique by core/name-key.ts.
import type { Clock } from "../core/clock.js";
import { invalidInput, notFound, problem } from "../core/errors.js";
import { newGroupId, type GroupId, type UserId } from "../core/ids.js";
import type { GroupMemberRecord, GroupRecord } from "../store/groups.js";
import type { Repositories } from "../store/store.js";
import type { AccessService } from "./access.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";

export interface GroupView {
  readonly group: GroupRecord;
  readonly members: readonly GroupMemberRecord[];
}

export interface GroupService {
  listGroups(actor: Actor): Promise<GroupView[]>;
  createGroup(actor: Actor, name: string): Promise<GroupView>;
  renameGroup(actor: Actor, id: GroupId, name: string): Promise<GroupView>;
  deleteGroup(actor: Actor, id: GroupId): Promise<void>;
  addMember(actor: Actor, id: GroupId, userId: UserId): Promise<GroupView>;
  removeMember(actor: Actor, id: GroupId, userId: UserId): Promise<GroupView>;
}

/** The one authorisation question of this service (core/policy.ts's decide() will answer it). */
const GROUP_NOT_FOUND = problem("group_not_found");

function groupName(raw: string): string {
  const name = raw.trim();
  if (name === "") throw invalidInput(problem("group_name_required"), "name");
  return name;
}

const PEOPLE_FORBIDDEN = problem("people_forbidden");

export function createGroupService(deps: { store: Pick<Repositories, "groups">; access: Pick<AccessService, "requireAdmin">; auditLog: AuditLog; clock: Clock }): GroupService {
  const { store, access, auditLog, clock } = deps;

  async function viewOf(groups: Repositories["groups"], id: GroupId): Promise<GroupView> {
    const group = await groups.findGroup(id);
    if (group === undefined) throw notFound(GROUP_NOT_FOUND);
    return { group, members: await groups.listMembers(id) };
  }

  const groupFacts = (view: GroupView) => ({ groupId: view.group.id, name: view.group.name });
  const groupTarget = (view: GroupView) => ({ type: "group" as const, id: view.group.id, name: view.group.name });

  return {
    async listGroups(actor) {
      access.requireAdmin(actor, PEOPLE_FORBIDDEN);
      const groups = await store.groups.listGroups();
      return Promise.all(groups.map(async (group) => ({ group, members: await store.groups.listMembers(group.id) })));
    },

    async createGroup(actor, rawName) {
      access.requireAdmin(actor, PEOPLE_FORBIDDEN);
      const name = groupName(rawName);
      return auditLog.commit(actor, {
        work: async (tx) => {
          const id = newGroupId();
          await tx.groups.insertGroup({ id, name }, clock.now());
          return viewOf(tx.groups, id);
        },
        events: (view) => [{ action: "group.created", target: groupTarget(view), details: groupFacts(view) }],
      });
    },

    async renameGroup(actor, id, rawName) {
      access.requireAdmin(actor, PEOPLE_FORBIDDEN);
      const name = groupName(rawName);
      return auditLog.commit(actor, {
        work: async (tx) => {
          const before = await viewOf(tx.groups, id);
          await tx.groups.renameGroup(id, name, clock.now());
          return { before, after: await viewOf(tx.groups, id) };
        },
        events: ({ before }) => [{ action: "group.renamed", target: { type: "group", id, name }, details: { groupId: id, from: before.group.name, to: name } }],
      }).then((result) => result.after);
    },

    async deleteGroup(actor, id) {
      access.requireAdmin(actor, PEOPLE_FORBIDDEN);
      await auditLog.commit(actor, {
        work: async (tx) => {
          const view = await viewOf(tx.groups, id);
          await tx.groups.deleteGroup(id);
          return view;
        },
        events: (view) => [{ action: "group.deleted", target: groupTarget(view), details: { ...groupFacts(view), members: view.members.length } }],
      });
    },

    async addMember(actor, id, userId) {
      access.requireAdmin(actor, PEOPLE_FORBIDDEN);
      return auditLog.commit(actor, {
        work: async (tx) => {
          await viewOf(tx.groups, id);
          const user = await tx.users.findUserById(userId);
          if (user === undefined) throw notFound(problem("user_id_not_found"));
          const added = await tx.groups.addMember(id, userId, clock.now());
          return { view: await viewOf(tx.groups, id), user, added };
        },
        events: ({ view, user, added }) => [{ action: "group.member_added", target: groupTarget(view), details: { ...groupFacts(view), userId, username: user.username, wasMember: !added } }],
      }).then((result) => result.view);
    },

    async removeMember(actor, id, userId) {
      access.requireAdmin(actor, PEOPLE_FORBIDDEN);
      return auditLog.commit(actor, {
        work: async (tx) => {
          const before = await viewOf(tx.groups, id);
          const member = before.members.find((m) => m.userId === userId);
          if (member === undefined || !(await tx.groups.removeMember(id, userId))) throw notFound(problem("group_member_not_found"));
          return { view: await viewOf(tx.groups, id), member };
        },
        events: ({ view, member }) => [{ action: "group.member_removed", target: groupTarget(view), details: { ...groupFacts(view), userId, username: member.username } }],
      }).then((result) => result.view);
    },
  };
}
