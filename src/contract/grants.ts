// Request and reply shapes for grants (principal × entry or folder × permission, optionally
// expiring), the principal picker, and a folder's page with its grants and approver group.
import { Type, type Static } from "typebox";

const Id = Type.String({ format: "uuid" });
const Timestamp = Type.String({ format: "date-time" });

export const PrincipalKind = Type.Union([Type.Literal("user"), Type.Literal("group"), Type.Literal("service_account")]);
export type PrincipalKind = Static<typeof PrincipalKind>;

export const GrantPermission = Type.Union([Type.Literal("use"), Type.Literal("recover"), Type.Literal("manage")], {
  description: "use: get codes; recover: reveal a recovery code; manage: edit, overwrite the seed, grant others (includes use and recover).",
});
export type GrantPermission = Static<typeof GrantPermission>;

export const ScopeKind = Type.Union([Type.Literal("entry"), Type.Literal("folder")]);
export type ScopeKind = Static<typeof ScopeKind>;

/** A principal as people read it: its kind, id and the name shown (a user's display name). */
export const NamedPrincipal = Type.Object(
  {
    kind: PrincipalKind,
    id: Id,
    name: Type.String(),
    detail: Type.Union([Type.String(), Type.Null()], { description: "A user's username; null for groups and service accounts." }),
  },
  { $id: "NamedPrincipal" },
);
export type NamedPrincipal = Static<typeof NamedPrincipal>;

export const GrantState = Type.Union([Type.Literal("live"), Type.Literal("expired"), Type.Literal("revoked")]);
export type GrantState = Static<typeof GrantState>;

const NamedUser = Type.Object({ id: Id, name: Type.String() });

export const GrantView = Type.Object(
  {
    id: Id,
    principal: NamedPrincipal,
    scope: Type.Object({ kind: ScopeKind, id: Id, name: Type.String() }),
    permission: GrantPermission,
    state: GrantState,
    expiresAt: Type.Union([Timestamp, Type.Null()]),
    createdAt: Timestamp,
    grantedBy: Type.Union([NamedUser, Type.Null()], { description: "Who granted it; null when that user is gone." }),
    revokedAt: Type.Union([Timestamp, Type.Null()]),
    revokedBy: Type.Union([NamedUser, Type.Null()]),
    fromAccessRequest: Type.Boolean({ description: "Created by an approved access request." }),
  },
  { $id: "Grant" },
);
export type GrantView = Static<typeof GrantView>;

export const CreateGrantRequest = Type.Object(
  {
    principal: Type.Object({ kind: PrincipalKind, id: Id }, { additionalProperties: false }),
    scope: Type.Object({ kind: ScopeKind, id: Id }, { additionalProperties: false }),
    permission: GrantPermission,
    expiresAt: Type.Optional(Timestamp),
    durationSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 10 * 366 * 86_400, description: "Expires this long after it is granted; instead of expiresAt." })),
  },
  { additionalProperties: false, description: "Without expiresAt or durationSeconds the grant lasts until revoked." },
);
export type CreateGrantRequest = Static<typeof CreateGrantRequest>;

export const GrantListQuery = Type.Object(
  {
    entryId: Type.Optional(Id),
    folderId: Type.Optional(Id),
    includeRevoked: Type.Optional(Type.Union([Type.Literal("true"), Type.Literal("false")])),
  },
  {
    additionalProperties: false,
    description: "entryId: the entry's grants and its folder's (each says its scope); folderId: the folder's. Without either: every grant (administrators).",
  },
);
export type GrantListQuery = Static<typeof GrantListQuery>;

export const GrantList = Type.Object({ grants: Type.Array(GrantView) }, { $id: "GrantList" });
export type GrantList = Static<typeof GrantList>;

export const GrantIdParams = Type.Object({ id: Id });

export const PrincipalQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: "Part of a name (display name or username for users); empty: the first by name." })),
    kind: Type.Optional(PrincipalKind),
  },
  { additionalProperties: false },
);
export type PrincipalQuery = Static<typeof PrincipalQuery>;

export const PrincipalList = Type.Object(
  { principals: Type.Array(NamedPrincipal, { description: "At most 20, by name; disabled users and service accounts left out." }) },
  { $id: "PrincipalList" },
);
export type PrincipalList = Static<typeof PrincipalList>;

/** "Shared with" on an entry: one live grant on the entry or its folder, as the list shows it. */
export const SharedWith = Type.Object(
  {
    grantId: Id,
    principal: NamedPrincipal,
    permission: GrantPermission,
    via: ScopeKind,
    expiresAt: Type.Union([Timestamp, Type.Null()]),
  },
  { $id: "SharedWith" },
);
export type SharedWith = Static<typeof SharedWith>;

export const FolderPage = Type.Object(
  {
    id: Id,
    name: Type.String(),
    entryCount: Type.Integer(),
    approverGroup: Type.Union([Type.Object({ id: Id, name: Type.String() }), Type.Null()]),
    grants: Type.Array(GrantView, { description: "Live, expired and revoked, oldest first." }),
    canGrant: Type.Boolean(),
    canAdminister: Type.Boolean({ description: "May rename, delete and choose the approver group (administrators)." }),
  },
  { $id: "FolderPage" },
);
export type FolderPage = Static<typeof FolderPage>;

export const SetApproverGroupRequest = Type.Object({ groupId: Type.Union([Id, Type.Null()]) }, { additionalProperties: false });
export type SetApproverGroupRequest = Static<typeof SetApproverGroupRequest>;
