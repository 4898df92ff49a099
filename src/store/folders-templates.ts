// Folders and entry templates.
import type { Kysely } from "kysely";
import { conflict } from "../core/errors.js";
import { nameKey } from "../core/name-key.js";
import type { Database } from "./schema.js";
import { isUniqueViolation } from "./unique-violation.js";

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
}

export interface TemplateStore {
  listTemplates(): Promise<TemplateRecord[]>;
  findTemplate(id: string): Promise<TemplateRecord | undefined>;
  /** The template whose name is `name` as a person reads it (core/name-key.ts). */
  findTemplateByName(name: string): Promise<TemplateRecord | undefined>;
  /** Inserts a template; a name taken meanwhile (the unique key) is a conflict. */
  insertTemplate(template: TemplateRecord, now: number): Promise<void>;
}

export function createFolderStore(db: Kysely<Database>): FolderStore {
  return {
    listFolders: () => db.selectFrom("folders").select(["id", "name"]).orderBy("name_key").execute(),
    findFolder: (id) => db.selectFrom("folders").select(["id", "name"]).where("id", "=", id).executeTakeFirst(),
    findFolderByName: (name) => db.selectFrom("folders").select(["id", "name"]).where("name_key", "=", nameKey(name)).executeTakeFirst(),
    async insertFolder(folder, now) {
      try {
        await db.insertInto("folders").values({ id: folder.id, name: folder.name, name_key: nameKey(folder.name), created_at: now }).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`A folder named "${folder.name}" already exists.`, "name");
        throw error;
      }
    },
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
      try {
        await db
          .insertInto("templates")
          .values({ id: template.id, name: template.name, name_key: nameKey(template.name), built_in: 0, fields: JSON.stringify(template.fields), created_at: now })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`A template named "${template.name}" already exists.`, "name");
        throw error;
      }
    },
  };
}
