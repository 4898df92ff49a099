// Branded identifiers, so that one kind of id cannot be passed where another is expected.
import { randomUUID } from "node:crypto";

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UserId = Brand<string, "UserId">;
export type SessionId = Brand<string, "SessionId">;

export const newUserId = (): UserId => randomUUID() as UserId;

// People and policy (issue 8).
export type EntryId = Brand<string, "EntryId">;
export type FolderId = Brand<string, "FolderId">;
export type GroupId = Brand<string, "GroupId">;
export type ServiceAccountId = Brand<string, "ServiceAccountId">;
export type ApiTokenId = Brand<string, "ApiTokenId">;
export type GrantId = Brand<string, "GrantId">;
export type AccessRequestId = Brand<string, "AccessRequestId">;

export const newGroupId = (): GroupId => randomUUID() as GroupId;
export const newServiceAccountId = (): ServiceAccountId => randomUUID() as ServiceAccountId;
export const newApiTokenId = (): ApiTokenId => randomUUID() as ApiTokenId;
export const newGrantId = (): GrantId => randomUUID() as GrantId;
export const newAccessRequestId = (): AccessRequestId => randomUUID() as AccessRequestId;
