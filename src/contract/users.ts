// Request and reply shapes for administering vault users.
import { Type, type Static } from "typebox";
import { UserSummary, Username } from "./auth.js";

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
