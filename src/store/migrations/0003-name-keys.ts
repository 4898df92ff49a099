// Names compared as a person reads them (core/name-key.ts: NFC, zero-width characters removed,
// case ignored): re-keys the entries and folders stored with the older key (trimmed, lower-cased)
// and gives templates a unique key of their own. Names themselves stay as typed.
import { sql, type Kysely } from "kysely";
import { nameKey } from "../../core/name-key.js";
import type { DialectCapabilities } from "../dialect.js";

interface KeyedRow {
  readonly id: string;
  readonly name: string;
  readonly scope: string;
  readonly created_at: number;
  readonly name_key: string;
}

interface Tables {
  entries: { id: string; name: string; name_key: string; folder_key: string; created_at: number };
  folders: { id: string; name: string; name_key: string; created_at: number };
  templates: { id: string; name: string; name_key: string; created_at: number };
}

/**
 * The new key of every row. Twins that the old key told apart (a precomposed and a decomposed
 * "Café" in one folder) both stay, with their names: the oldest keeps the plain key, the others
 * get it followed by U+0001 and their id, which no name can produce since text input refuses
 * control characters. Renaming one of them is checked against the plain key as usual.
 */
function newKeys(rows: readonly KeyedRow[]): Map<string, string> {
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  const ordered = [...rows].sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : 1));
  for (const row of ordered) {
    const key = nameKey(row.name);
    const scoped = `${row.scope}\u0000${key}`;
    keys.set(row.id, taken.has(scoped) ? `${key}\u0001${row.id}` : key);
    taken.add(scoped);
  }
  return keys;
}

/** Moves every changed row to a key no other row holds, then to its new key, so no unique index trips midway. */
async function rekey(db: Kysely<Tables>, table: keyof Tables, rows: readonly KeyedRow[]): Promise<void> {
  const keys = newKeys(rows);
  const changed = rows.filter((row) => keys.get(row.id) !== row.name_key);
  for (const row of changed) await db.updateTable(table).set({ name_key: `\u0001${row.id}` }).where("id", "=", row.id).execute();
  for (const row of changed) await db.updateTable(table).set({ name_key: keys.get(row.id)! }).where("id", "=", row.id).execute();
}

export async function up(untyped: Kysely<unknown>, _dialect: DialectCapabilities): Promise<void> {
  const db = untyped as Kysely<Tables>;
  await db.schema.alterTable("templates").addColumn("name_key", "text", (c) => c.notNull().defaultTo("")).execute();

  const entries = await db.selectFrom("entries").select(["id", "name", "name_key", "folder_key as scope", "created_at"]).execute();
  await rekey(db, "entries", entries);
  const folders = await db.selectFrom("folders").select(["id", "name", "name_key", sql<string>`''`.as("scope"), "created_at"]).execute();
  await rekey(db, "folders", folders);
  const templates = await db.selectFrom("templates").select(["id", "name", "name_key", sql<string>`''`.as("scope"), "created_at"]).execute();
  await rekey(db, "templates", templates);
  await db.schema.createIndex("templates_name_key").unique().on("templates").column("name_key").execute();
}
