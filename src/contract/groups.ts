// Request and reply shapes for groups of users (grants to a group reach its members).
import { Type, type Static } from "typebox";

const Id = Type.String({ format: "uuid" });
const GroupName = Type.String({ minLength: 1, maxLength: 100, examples: ["Finance"], description: "Unique without regard to case." });

export const GroupIdParams = Type.Object({ id: Id });
export type GroupIdParams = Static<typeof GroupIdParams>;
export const GroupMemberParams = Type.Object({ id: Id, userId: Id });
export type GroupMemberParams = Static<typeof GroupMemberParams>;

export const GroupMember = Type.Object(
  { userId: Id, username: Type.String(), displayName: Type.String(), addedAt: Type.String({ format: "date-time" }) },
  { $id: "GroupMember" },
);
export type GroupMember = Static<typeof GroupMember>;

export const Group = Type.Object(
  { id: Id, name: Type.String(), createdAt: Type.String({ format: "date-time" }), members: Type.Array(GroupMember) },
  { $id: "Group" },
);
export type Group = Static<typeof Group>;

export const GroupList = Type.Object({ groups: Type.Array(Group) }, { $id: "GroupList" });
export type GroupList = Static<typeof GroupList>;

export const GroupNameRequest = Type.Object({ name: GroupName }, { additionalProperties: false });
export type GroupNameRequest = Static<typeof GroupNameRequest>;
