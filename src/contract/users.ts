// Request and reply shapes for vault users: administering them, their one-time invitation and
// password-reset links, and a user's own account.
import { Type, type Static } from "typebox";
import { Password, Role, UserSummary, Username } from "./auth.js";
import { Notice } from "./problem.js";

export const UnlockUserRequest = Type.Object({ username: Username }, { additionalProperties: false });
export type UnlockUserRequest = Static<typeof UnlockUserRequest>;

export const UnlockUserReply = Type.Object(
  {
    user: UserSummary,
    wasLocked: Type.Boolean({ description: "True when the account had reached the limit of failed sign-ins from unknown devices." }),
    failedSignInsCleared: Type.Integer({ minimum: 0, description: "The failed sign-ins from unknown devices that were forgotten." }),
  },
  { $id: "UnlockUserReply" },
);
export type UnlockUserReply = Static<typeof UnlockUserReply>;

export const Language = Type.Union([Type.Literal("en"), Type.Literal("fr")], { description: "The language of the web app and of mails: en or fr." });
export type Language = Static<typeof Language>;

const UserId = Type.String({ format: "uuid" });
const DisplayName = Type.String({ minLength: 1, maxLength: 100, examples: ["Bob Durand"] });
const Email = Type.String({ format: "email", maxLength: 254, examples: ["bob@example.com"] });

export const UserIdParams = Type.Object({ id: UserId });
export type UserIdParams = Static<typeof UserIdParams>;

export const User = Type.Object(
  {
    id: UserId,
    username: Type.String(),
    displayName: Type.String(),
    role: Role,
    email: Type.Union([Type.String(), Type.Null()]),
    language: Type.Union([Language, Type.Null()], { description: "null: the browser's language." }),
    status: Type.Union([Type.Literal("invited"), Type.Literal("active"), Type.Literal("disabled")], {
      description: "invited: has not set a password through the invitation link yet.",
    }),
    locked: Type.Boolean({ description: "Failed sign-ins from unknown devices have locked the account (POST /api/v1/users/unlock)." }),
    createdAt: Type.String({ format: "date-time" }),
    disabledAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  },
  { $id: "User" },
);
export type User = Static<typeof User>;

export const UserList = Type.Object({ users: Type.Array(User) }, { $id: "UserList" });
export type UserList = Static<typeof UserList>;

export const InviteUserRequest = Type.Object(
  { username: Username, displayName: Type.Optional(DisplayName), role: Role, email: Type.Optional(Email) },
  { additionalProperties: false },
);
export type InviteUserRequest = Static<typeof InviteUserRequest>;

export const UserLinkReply = Type.Object(
  {
    user: User,
    link: Type.String({ description: "The one-time link (its token after #): shown once, stored only as a hash." }),
    expiresAt: Type.String({ format: "date-time" }),
    mailed: Type.Boolean({ description: "True when the link was also e-mailed to the user." }),
    warnings: Type.Array(Notice, { description: "mail_not_sent when SMTP is configured but the mail failed: give the link yourself." }),
  },
  { $id: "UserLinkReply" },
);
export type UserLinkReply = Static<typeof UserLinkReply>;

export const ChangeRoleRequest = Type.Object({ role: Role }, { additionalProperties: false });
export type ChangeRoleRequest = Static<typeof ChangeRoleRequest>;

export const DeleteUserQuery = Type.Object(
  { entriesTo: Type.Optional(Type.String({ format: "uuid", description: "Who receives the user's entries; required when they own any." })) },
  { additionalProperties: false },
);
export type DeleteUserQuery = Static<typeof DeleteUserQuery>;

export const LinkToken = Type.String({ minLength: 1, maxLength: 200, description: "The token from the link (after #token=)." });

export const LinkStatusRequest = Type.Object({ token: LinkToken }, { additionalProperties: false });
export type LinkStatusRequest = Static<typeof LinkStatusRequest>;

export const LinkStatusReply = Type.Object(
  { username: Type.String(), displayName: Type.String(), expiresAt: Type.String({ format: "date-time" }) },
  { $id: "LinkStatusReply" },
);
export type LinkStatusReply = Static<typeof LinkStatusReply>;

export const AcceptInviteRequest = Type.Object(
  { token: LinkToken, password: Password, displayName: Type.Optional(DisplayName) },
  { additionalProperties: false },
);
export type AcceptInviteRequest = Static<typeof AcceptInviteRequest>;

export const CompleteResetRequest = Type.Object({ token: LinkToken, password: Password }, { additionalProperties: false });
export type CompleteResetRequest = Static<typeof CompleteResetRequest>;

export const UpdateAccountRequest = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    language: Type.Optional(Type.Union([Language, Type.Null()])),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
  },
  { additionalProperties: false },
);
export type UpdateAccountRequest = Static<typeof UpdateAccountRequest>;

export const ChangePasswordRequest = Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false });
export type ChangePasswordRequest = Static<typeof ChangePasswordRequest>;
