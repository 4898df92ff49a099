// A second, raw connection to a test database, for what a test does behind the server's back:
// triggers that make the database refuse a write, bytes flipped in a stored ciphertext.
import { sql, type Kysely } from "kysely";
import { openDatabase } from "../../src/store/connect.js";
import type { Database } from "../../src/store/schema.js";
import type { TestDatabase } from "./databases.js";

export async function withRawDatabase<T>(db: TestDatabase, use: (raw: Kysely<Database>) => Promise<T>): Promise<T> {
  const connection = openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema === undefined ? {} : { postgresSchema: db.postgresSchema }) });
  try {
    return await use(connection.db);
  } finally {
    await connection.close();
  }
}

/**
 * Makes the database itself refuse to insert an audit event whose reason is `reason` (a trigger,
 * on either dialect), so that one item of a batch is poisoned; returns a function that removes it.
 */
export async function refuseAuditEventsWithReason(db: TestDatabase, reason: string): Promise<() => Promise<void>> {
  await withRawDatabase(db, async (raw) => {
    if (db.kind === "sqlite") {
      await sql`create trigger audit_poisoned before insert on audit_events when new.reason = ${sql.lit(reason)} begin select raise(abort, 'poisoned audit event'); end`.execute(raw);
    } else {
      await sql`create function audit_poisoned() returns trigger language plpgsql as $$ begin if new.reason = ${sql.lit(reason)} then raise exception 'poisoned audit event'; end if; return new; end $$`.execute(raw);
      await sql`create trigger audit_poisoned before insert on audit_events for each row execute function audit_poisoned()`.execute(raw);
    }
  });
  return () =>
    withRawDatabase(db, async (raw) => {
      await sql`drop trigger audit_poisoned${db.kind === "postgres" ? sql` on audit_events` : sql``}`.execute(raw);
      if (db.kind === "postgres") await sql`drop function audit_poisoned()`.execute(raw);
    });
}

/** Flips one byte in the middle of a stored ciphertext (the encrypted part, past the header and nonce). */
export function flipMiddleByte(sealed: Uint8Array): Buffer {
  const damaged = Buffer.from(sealed);
  const at = Math.floor(damaged.length / 2);
  damaged[at] = (damaged[at] ?? 0) ^ 0x01;
  return damaged;
}
