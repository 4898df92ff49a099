// The SQL twins of core/policy-rule.ts's grant tests, over a grants row under an alias: whose it
// is, whether its permission covers, whether it is live. Shared by the facts load and the listing,
// so that both read grants exactly as decide() does.
import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { GrantPermission, Instant } from "../core/policy-facts.js";
import type { PrincipalSet } from "../core/policy-rule.js";

const column = (alias: string, name: string) => sql.ref(`${alias}.${name}`);

export const NEVER: RawBuilder<SqlBool> = sql<SqlBool>`1 = 0`;

/** isPrincipalIn: the grant is to the user, one of their groups, or the service account. */
export function grantBelongsTo(alias: string, principals: PrincipalSet): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  if (principals.userId !== null) parts.push(sql`${column(alias, "user_id")} = ${principals.userId}`);
  if (principals.groupIds.length > 0) parts.push(sql`${column(alias, "group_id")} in (${sql.join(principals.groupIds)})`);
  if (principals.serviceAccountId !== null) parts.push(sql`${column(alias, "service_account_id")} = ${principals.serviceAccountId}`);
  return parts.length === 0 ? NEVER : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** The grant gives one of these permissions. */
export const grantGivesOneOf = (alias: string, permissions: readonly GrantPermission[]): RawBuilder<SqlBool> =>
  permissions.length === 0 ? NEVER : sql<SqlBool>`${column(alias, "permission")} in (${sql.join(permissions)})`;

/** isGrantLive: never revoked, and not expired at `now` (the expiry instant itself no longer allows). */
export const grantIsLive = (alias: string, now: Instant): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${column(alias, "revoked_at")} is null and (${column(alias, "expires_at")} is null or ${column(alias, "expires_at")} > ${now}))`;
