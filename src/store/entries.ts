// Entries and their fields as stored: the seed and secret fields only ever as sealed bytes.
import type { Kysely, Selectable } from "kysely";
import { conflict, problem } from "../core/errors.js";
import { searchTextOf } from "../core/entry-search.js";
import { nameKey } from "../core/name-key.js";
import { MAX_HOTP_COUNTER } from "../core/otp/types.js";
import { preparedLookup } from "./prepared-query.js";
import { isUniqueViolation } from "./unique-violation.js";
import type { Database, EntriesTable } from "./schema.js";

export interface EntryRecord {
  readonly id: string;
  readonly name: string;
  readonly folderId: string | null;
  readonly templateId: string;
  readonly issuer: string | null;
  readonly account: string | null;
  readonly url: string | null;
  readonly username: string | null;
  readonly notes: string | null;
  readonly tags: readonly string[];
  readonly ownerId: string;
  readonly otpType: string | null;
  readonly otpAlgorithm: string | null;
  readonly otpDigits: number | null;
  readonly otpPeriod: number | null;
  readonly hotpCounter: number;
  readonly seedSealed: Buffer | null;
  readonly seedUpdatedAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What computing a time-based code needs of an entry. */
export type TimeBasedSource = Pick<EntryRecord, "id" | "name" | "ownerId" | "folderId" | "otpType" | "otpAlgorithm" | "otpDigits" | "otpPeriod" | "seedSealed">;

export type EntryChanges = Partial<Pick<EntryRecord, "name" | "folderId" | "issuer" | "account" | "url" | "username" | "notes" | "tags">>;

export interface SealedSeed {
  readonly type: string;
  readonly algorithm: string;
  readonly digits: number;
  readonly period: number;
  readonly counter: number;
  readonly sealed: Buffer;
}

export interface EntryFieldRecord {
  readonly key: string;
  readonly valueText: string | null;
  readonly valueSealed: Buffer | null;
}

export interface EntryStore {
  insertEntry(entry: EntryRecord): Promise<void>;
  insertEntries(entries: readonly EntryRecord[]): Promise<void>;
  findEntry(id: string): Promise<EntryRecord | undefined>;
  /** All entries, or those owned by one user; ordered by name. */
  /** Every entry, or those with these ids, by name. */
  listEntries(ids?: readonly string[]): Promise<EntryRecord[]>;
  /** The folder of each of these entries that exists (null: none), in one query. */
  folderIdsOf(ids: readonly string[]): Promise<Map<string, string | null>>;
  /**
   * The TOTP and Steam entries with a seed, every one or those with these ids, in no particular
   * order: only the columns a code needs (a script may ask for a thousand codes at once).
   */
  listTimeBasedSources(ids?: readonly string[]): Promise<TimeBasedSource[]>;
  isNameTaken(folderId: string | null, name: string, exceptId?: string): Promise<boolean>;
  updateEntry(id: string, changes: EntryChanges, now: number): Promise<void>;
  /** Overwrites the sealed seed and its parameters; the old ciphertext is gone with the row's old value. */
  replaceSeed(id: string, seed: SealedSeed, now: number): Promise<void>;
  /**
   * Advances the HOTP counter by one and returns the counter value to use; "exhausted" once the
   * counter to use would pass MAX_HOTP_COUNTER (the counter is then left alone), undefined if the
   * entry is gone.
   */
  takeHotpCounter(id: string): Promise<number | "exhausted" | undefined>;
  deleteEntry(id: string): Promise<void>;
  listFields(entryId: string): Promise<EntryFieldRecord[]>;
  upsertField(entryId: string, field: EntryFieldRecord): Promise<void>;
}

/** An entries row as the record the services see. */
export const entryRecordOf = (row: Selectable<EntriesTable>): EntryRecord => ({
  id: row.id,
  name: row.name,
  folderId: row.folder_id,
  templateId: row.template_id,
  issuer: row.issuer,
  account: row.account,
  url: row.url,
  username: row.username,
  notes: row.notes,
  tags: JSON.parse(row.tags) as string[],
  ownerId: row.owner_id,
  otpType: row.otp_type,
  otpAlgorithm: row.otp_algorithm,
  otpDigits: row.otp_digits,
  otpPeriod: row.otp_period,
  hotpCounter: row.hotp_counter,
  seedSealed: row.seed_sealed === null ? null : Buffer.from(row.seed_sealed),
  seedUpdatedAt: row.seed_updated_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (e: EntryRecord): Selectable<EntriesTable> => ({
  id: e.id,
  name: e.name,
  name_key: nameKey(e.name),
  folder_id: e.folderId,
  folder_key: e.folderId ?? "",
  template_id: e.templateId,
  issuer: e.issuer,
  account: e.account,
  url: e.url,
  username: e.username,
  notes: e.notes,
  tags: JSON.stringify(e.tags),
  owner_id: e.ownerId,
  otp_type: e.otpType,
  otp_algorithm: e.otpAlgorithm,
  otp_digits: e.otpDigits,
  otp_period: e.otpPeriod,
  hotp_counter: e.hotpCounter,
  seed_sealed: e.seedSealed,
  seed_updated_at: e.seedUpdatedAt,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
  search_text: searchTextOf(e),
});

/** Rows per multi-row insert: well under SQLite's 32,766 bound parameters (22 columns a row). */
const INSERT_CHUNK = 500;

export function createEntryStore(db: Kysely<Database>): EntryStore {
  const selectEntry = preparedLookup(db, (q, id: string) => q.selectFrom("entries").selectAll().where("id", "=", id));
  return {
    async insertEntry(entry) {
      try {
        await db.insertInto("entries").values(toRow(entry)).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(problem("entry_name_taken", { name: entry.name }), "name");
        throw error;
      }
    },
    async insertEntries(entries) {
      try {
        for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
          await db.insertInto("entries").values(entries.slice(i, i + INSERT_CHUNK).map(toRow)).execute();
        }
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(problem("import_names_taken_meanwhile"), "name");
        throw error;
      }
    },
    async findEntry(id) {
      const row = await selectEntry(id);
      return row && entryRecordOf(row);
    },
    async folderIdsOf(ids) {
      if (ids.length === 0) return new Map();
      const rows = await inChunks(ids, (chunk) => db.selectFrom("entries").select(["id", "folder_id"]).where("id", "in", chunk ?? []).execute());
      return new Map(rows.map((row) => [row.id, row.folder_id]));
    },

    async listEntries(ids) {
      const rows = await inChunks(ids, (chunk) => {
        const query = db.selectFrom("entries").selectAll().orderBy("name_key").orderBy("id");
        return (chunk === undefined ? query : query.where("id", "in", chunk)).execute();
      });
      // Each chunk came ordered; several are merged in the same order.
      if (ids !== undefined && ids.length > ID_CHUNK) rows.sort((a, b) => (a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return rows.map(entryRecordOf);
    },
    async listTimeBasedSources(ids) {
      const rows = await inChunks(ids, (chunk) => {
        const query = db
          .selectFrom("entries")
          .select(["id", "name", "owner_id", "folder_id", "otp_type", "otp_algorithm", "otp_digits", "otp_period", "seed_sealed"])
          .where("seed_sealed", "is not", null)
          .where("otp_type", "in", ["totp", "steam"]);
        return (chunk === undefined ? query : query.where("id", "in", chunk)).execute();
      });
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        ownerId: row.owner_id,
        folderId: row.folder_id,
        otpType: row.otp_type,
        otpAlgorithm: row.otp_algorithm,
        otpDigits: row.otp_digits,
        otpPeriod: row.otp_period,
        seedSealed: row.seed_sealed,
      }));
    },
    async isNameTaken(folderId, name, exceptId) {
      let query = db.selectFrom("entries").select("id").where("folder_key", "=", folderId ?? "").where("name_key", "=", nameKey(name));
      if (exceptId !== undefined) query = query.where("id", "!=", exceptId);
      return (await query.executeTakeFirst()) !== undefined;
    },
    async updateEntry(id, changes, now) {
      const set: Partial<Selectable<EntriesTable>> = { updated_at: now };
      if (changes.name !== undefined) Object.assign(set, { name: changes.name, name_key: nameKey(changes.name) });
      if (changes.folderId !== undefined) Object.assign(set, { folder_id: changes.folderId, folder_key: changes.folderId ?? "" });
      for (const key of ["issuer", "account", "url", "username", "notes"] as const) if (changes[key] !== undefined) set[key] = changes[key];
      if (changes.tags !== undefined) set.tags = JSON.stringify(changes.tags);
      if (changes.name !== undefined || changes.issuer !== undefined || changes.account !== undefined || changes.tags !== undefined) {
        // The search text holds all four: the ones not changed are read back.
        const row = await db.selectFrom("entries").select(["name", "issuer", "account", "tags"]).where("id", "=", id).executeTakeFirst();
        if (row !== undefined) {
          set.search_text = searchTextOf({
            name: changes.name ?? row.name,
            issuer: changes.issuer === undefined ? row.issuer : changes.issuer,
            account: changes.account === undefined ? row.account : changes.account,
            tags: changes.tags ?? (JSON.parse(row.tags) as string[]),
          });
        }
      }
      await db.updateTable("entries").set(set).where("id", "=", id).execute();
    },
    async replaceSeed(id, seed, now) {
      await db
        .updateTable("entries")
        .set({
          otp_type: seed.type,
          otp_algorithm: seed.algorithm,
          otp_digits: seed.digits,
          otp_period: seed.period,
          hotp_counter: seed.counter,
          seed_sealed: seed.sealed,
          seed_updated_at: now,
          updated_at: now,
        })
        .where("id", "=", id)
        .execute();
    },
    async takeHotpCounter(id) {
      // One statement: two nodes asking at once get two different counters (RFC 4226 §7.2), and
      // the bound is part of it, so no race takes a counter past what a number holds exactly.
      const row = await db
        .updateTable("entries")
        .set((eb) => ({ hotp_counter: eb("hotp_counter", "+", 1) }))
        .where("id", "=", id)
        .where("hotp_counter", "<=", MAX_HOTP_COUNTER)
        .returning("hotp_counter")
        .executeTakeFirst();
      if (row !== undefined) return Number(row.hotp_counter) - 1;
      return (await selectEntry(id)) === undefined ? undefined : "exhausted";
    },
    async deleteEntry(id) {
      await db.deleteFrom("entries").where("id", "=", id).execute();
    },
    async listFields(entryId) {
      const rows = await db.selectFrom("entry_fields").selectAll().where("entry_id", "=", entryId).orderBy("key").execute();
      return rows.map((r) => ({ key: r.key, valueText: r.value_text, valueSealed: r.value_sealed === null ? null : Buffer.from(r.value_sealed) }));
    },
    async upsertField(entryId, field) {
      await db
        .insertInto("entry_fields")
        .values({ entry_id: entryId, key: field.key, value_text: field.valueText, value_sealed: field.valueSealed })
        .onConflict((oc) => oc.columns(["entry_id", "key"]).doUpdateSet({ value_text: field.valueText, value_sealed: field.valueSealed }))
        .execute();
    },
  };
}

/** Bound parameters per statement stay far below SQLite's and PostgreSQL's limits. */
const ID_CHUNK = 500;

/** Runs `read` once for everything (no ids), or once per chunk of ids (none: no read at all). */
async function inChunks<T>(ids: readonly string[] | undefined, read: (chunk: readonly string[] | undefined) => Promise<T[]>): Promise<T[]> {
  if (ids === undefined) return read(undefined);
  const results: T[] = [];
  for (let start = 0; start < ids.length; start += ID_CHUNK) results.push(...(await read(ids.slice(start, start + ID_CHUNK))));
  return results;
}
