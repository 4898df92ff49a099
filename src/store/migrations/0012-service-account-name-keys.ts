// Service accounts' names compared as every other name is (core/name-key.ts: NFC, zero-width
// characters removed, case ignored), instead of only trimmed and lower-cased: re-keys the rows
// stored with the older key. Names themselves stay as typed.
import type { Kysely } from "kysely";
import { nameKey } from "../../core/name-key.js";
import type { DialectCapabilities } from "../dialect.js";

interface Tables {
  service_accounts: { id: string; name: string; name_key: string; created_at: number };
}

/**
 * The new key of every row. Twins the older key told apart ("Café" precomposed and decomposed)
 * both stay, as 0003-name-keys keeps entries: the oldest gets the plain key, the others the key
 * followed by U+0001 and their id, which no name can produce (names refuse control characters).
 */
function newKeys(rows: readonly Tables["service_accounts"][]): Map<string, string> {
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  const ordered = [...rows].sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : 1));
  for (const row of ordered) {
    const key = nameKey(row.name);
    keys.set(row.id, taken.has(key) ? `${key}\u0001${row.id}` : key);
    taken.add(key);
  }
  return keys;
}

export async function up(untyped: Kysely<unknown>, _dialect: DialectCapabilities): Promise<void> {
  const db = untyped as Kysely<Tables>;
  const rows = await db.selectFrom("service_accounts").select(["id", "name", "name_key", "created_at"]).execute();
  const keys = newKeys(rows);
  const changed = rows.filter((row) => keys.get(row.id) !== row.name_key);
  // Every changed row first moves to a key no other row holds, so the unique index never trips midway.
  for (const row of changed) await db.updateTable("service_accounts").set({ name_key: `\u0001${row.id}` }).where("id", "=", row.id).execute();
  for (const row of changed) await db.updateTable("service_accounts").set({ name_key: keys.get(row.id)! }).where("id", "=", row.id).execute();
}
