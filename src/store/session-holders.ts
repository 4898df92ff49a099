// What every signed-in request reads first: its session, the session's user and the user's groups.
// On SQLite these are three look-ups answered from memory (lookup-cache.ts); PostgreSQL has no such
// cache, and there each query is a round trip whose cost (the socket write, the server's wake-up)
// is most of what a code request costs, so there the three are one query.
import { sql, type Kysely } from "kysely";
import type { GroupId } from "../core/ids.js";
import type { Database } from "./schema.js";
import { preparedLookup } from "./prepared-query.js";
import { sessionRecordOf, type SessionRecord } from "./sessions.js";
import type { UsersTable } from "./schema.js";
import { userRecordOf, type UserRecord } from "./users.js";

export interface SessionHolder {
  readonly session: SessionRecord;
  /** undefined when the user is gone. */
  readonly user: UserRecord | undefined;
  /** The user's groups, ordered by id. */
  readonly groupIds: readonly GroupId[];
}

export type FindSessionHolder = (idHash: string) => Promise<SessionHolder | undefined>;

/** The three look-ups one after the other: for a dialect whose look-ups are cached. */
export function composedSessionHolders(lookups: {
  findSession(idHash: string): Promise<SessionRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  listGroupIdsOfUser(userId: UserRecord["id"]): Promise<GroupId[]>;
}): FindSessionHolder {
  return async (idHash) => {
    const session = await lookups.findSession(idHash);
    if (session === undefined) return undefined;
    const user = await lookups.findUserById(session.userId);
    return { session, user, groupIds: user === undefined ? [] : await lookups.listGroupIdsOfUser(user.id) };
  };
}

const USER_COLUMNS = ["id", "username", "display_name", "role", "password_hash", "created_at", "updated_at", "disabled_at", "email", "language"] as const;
// A column added to users and not here fails to compile: the joined record would lack it.
type MissingUserColumn = Exclude<keyof UsersTable, (typeof USER_COLUMNS)[number]>;
const everyUserColumn: [MissingUserColumn] extends [never] ? true : never = true;

/** One PostgreSQL query: the session, its user's columns prefixed `user__` (sessions has a user_id of its own), the group ids as a JSON array. */
export function joinedSessionHolders(db: Kysely<Database>): FindSessionHolder {
  void everyUserColumn;
  const select = preparedLookup(db, (q, idHash: string) =>
    q
      .selectFrom("sessions as s")
      .leftJoin("users as u", "u.id", "s.user_id")
      .selectAll("s")
      .select(USER_COLUMNS.map((c) => `u.${c} as user__${c}` as const))
      .select(sql<GroupId[]>`coalesce((select json_agg(m.group_id order by m.group_id) from group_members m where m.user_id = s.user_id), '[]'::json)`.as("group_ids"))
      .where("s.id_hash", "=", idHash),
  );
  return async (idHash) => {
    const row = await select(idHash);
    if (row === undefined) return undefined;
    const user = row.user__id === null ? undefined : userRecordOf(Object.fromEntries(USER_COLUMNS.map((c) => [c, row[`user__${c}`]])) as unknown as UsersTable);
    return { session: sessionRecordOf(row), user, groupIds: user === undefined ? [] : row.group_ids };
  };
}
