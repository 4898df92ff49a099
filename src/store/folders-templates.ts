// Folders and entry templates.
import type { Kysely } from "kysely";
import { conflict, problem } from "../core/errors.js";
import { nameKey } from "../core/name-key.js";
import type { Database } from "./schema.js";
import { isUniqueViolation } from "./unique-violation.js";

/** What deleting a folder or template did: gone, or kept because an entry still refers to it (a race the caller's count missed). */
export type DeleteOutcome = "deleted" | "missing" | "in_use";

// PostgreSQL: SQLSTATE 23503. SQLite (better-sqlite3, foreign_keys = ON): SQLITE_CONSTRAINT_FOREIGNKEY.
const isForeignKeyViolation = (error: unknown): boolean => {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === "23503" || code === "SQLITE_CONSTRAINT_FOREIGNKEY";
};

async function deleteUnlessReferenced(run: () => Promise<{ numDeletedRows: bigint }>): Promise<DeleteOutcome> {
  try {
    return (await run()).numDeletedRows > 0n ? "deleted" : "missing";
  } catch (error) {
    if (isForeignKeyViolation(error)) return "in_use";
    throw error;
  }
}

/** Runs a write that sets a name key; a name taken meanwhile (the unique key) is a conflict on "name". */
async function refusingTakenName(kind: "folder" | "template", name: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(problem(kind === "folder" ? "folder_name_taken" : "template_name_taken", { name }), "name");
    throw error;
  }
}

export interface FolderRecord {
  readonly id: string;
  readonly name: string;
}

export interface TemplateFieldRecord {
  readonly key: string;
  readonly label: string;
  readonly type: "text" | "url" | "secret" | "otp" | "recovery_codes";
  readonly required: boolean;
}

export interface TemplateRecord {
  readonly id: string;
  readonly name: string;
  readonly builtIn: boolean;
  readonly fields: readonly TemplateFieldRecord[];
}

export interface FolderStore {
  listFolders(): Promise<FolderRecord[]>;
  findFolder(id: string): Promise<FolderRecord | undefined>;
  /** The folder whose name is `name` as a person reads it (core/name-key.ts). */
  findFolderByName(name: string): Promise<FolderRecord | undefined>;
  insertFolder(folder: FolderRecord, now: number): Promise<void>;
  renameFolder(id: string, name: string): Promise<void>;
  /** How many entries (anyone's) are in the folder. */
  countEntriesInFolder(id: string): Promise<number>;
  deleteFolder(id: string): Promise<DeleteOutcome>;
}

export interface TemplateStore {
  listTemplates(): Promise<TemplateRecord[]>;
  findTemplate(id: string): Promise<TemplateRecord | undefined>;
  /** The template whose name is `name` as a person reads it (core/name-key.ts). */
  findTemplateByName(name: string): Promise<TemplateRecord | undefined>;
  /** Inserts a template; a name taken meanwhile (the unique key) is a conflict. */
  insertTemplate(template: TemplateRecord, now: number): Promise<void>;
  /** Replaces a template's name and fields (never a built-in one's). */
  updateTemplate(template: Pick<TemplateRecord, "id" | "name" | "fields">): Promise<void>;
  /** How many entries (anyone's) follow each template, by template id; absent ids have none. */
  countEntriesByTemplate(): Promise<Map<string, number>>;
  countEntriesUsingTemplate(id: string): Promise<number>;
  deleteTemplate(id: string): Promise<DeleteOutcome>;
}

export function createFolderStore(db: Kysely<Database>): FolderStore {
  return {
    listFolders: () => db.selectFrom("folders").select(["id", "name"]).orderBy("name_key").execute(),
    findFolder: (id) => db.selectFrom("folders").select(["id", "name"]).where("id", "=", id).executeTakeFirst(),
    findFolderByName: (name) => db.selectFrom("folders").select(["id", "name"]).where("name_key", "=", nameKey(name)).executeTakeFirst(),
    async insertFolder(folder, now) {
      await refusingTakenName("folder", folder.name, () =>
        db.insertInto("folders").values({ id: folder.id, name: folder.name, name_key: nameKey(folder.name), created_at: now }).execute(),
      );
    },
    async renameFolder(id, name) {
      await refusingTakenName("folder", name, () => db.updateTable("folders").set({ name, name_key: nameKey(name) }).where("id", "=", id).execute());
    },
    async countEntriesInFolder(id) {
      const row = await db.selectFrom("entries").select((eb) => eb.fn.countAll<number | string>().as("count")).where("folder_id", "=", id).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    deleteFolder: (id) => deleteUnlessReferenced(() => db.deleteFrom("folders").where("id", "=", id).executeTakeFirstOrThrow()),
  };
}

export function createTemplateStore(db: Kysely<Database>): TemplateStore {
  const toRecord = (row: { id: string; name: string; built_in: number; fields: string; name_key: string }): TemplateRecord => ({
    id: row.id,
    name: row.name,
    builtIn: Number(row.built_in) === 1,
    fields: JSON.parse(row.fields) as TemplateFieldRecord[],
  });
  return {
    async listTemplates() {
      return (await db.selectFrom("templates").selectAll().orderBy("built_in", "desc").orderBy("name").execute()).map(toRecord);
    },
    async findTemplate(id) {
      const row = await db.selectFrom("templates").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toRecord(row);
    },
    async findTemplateByName(name) {
      const row = await db.selectFrom("templates").selectAll().where("name_key", "=", nameKey(name)).executeTakeFirst();
      return row && toRecord(row);
    },
    async insertTemplate(template, now) {
      await refusingTakenName("template", template.name, () =>
        db
          .insertInto("templates")
          .values({ id: template.id, name: template.name, name_key: nameKey(template.name), built_in: 0, fields: JSON.stringify(template.fields), created_at: now })
          .execute(),
      );
    },
    async updateTemplate(template) {
      await refusingTakenName("template", template.name, () =>
        db
          .updateTable("templates")
          .set({ name: template.name, name_key: nameKey(template.name), fields: JSON.stringify(template.fields) })
          .where("id", "=", template.id)
          .where("built_in", "=", 0)
          .execute(),
      );
    },
    async countEntriesByTemplate() {
      const rows = await db.selectFrom("entries").select(["template_id", (eb) => eb.fn.countAll<number | string>().as("count")]).groupBy("template_id").execute();
      return new Map(rows.map((row) => [row.template_id, Number(row.count)]));
    },
    async countEntriesUsingTemplate(id) {
      const row = await db.selectFrom("entries").select((eb) => eb.fn.countAll<number | string>().as("count")).where("template_id", "=", id).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    deleteTemplate: (id) => deleteUnlessReferenced(() => db.deleteFrom("templates").where("id", "=", id).where("built_in", "=", 0).executeTakeFirstOrThrow()),
  };
}
