// Branded identifiers, so that one kind of id cannot be passed where another is expected.
import { randomUUID } from "node:crypto";

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UserId = Brand<string, "UserId">;
export type SessionId = Brand<string, "SessionId">;

export const newUserId = (): UserId => randomUUID() as UserId;
