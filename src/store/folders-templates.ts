// Folders and entry templates.
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

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
  findFolderByName(name: string): Promise<FolderRecord | undefined>;
  insertFolder(folder: FolderRecord, now: number): Promise<void>;
}

export interface TemplateStore {
  listTemplates(): Promise<TemplateRecord[]>;
  findTemplate(id: string): Promise<TemplateRecord | undefined>;
  insertTemplate(template: TemplateRecord, now: number): Promise<void>;
}

export function createFolderStore(db: Kysely<Database>): FolderStore {
  return {
    listFolders: () => db.selectFrom("folders").select(["id", "name"]).orderBy("name_key").execute(),
    findFolder: (id) => db.selectFrom("folders").select(["id", "name"]).where("id", "=", id).executeTakeFirst(),
    findFolderByName: (name) => db.selectFrom("folders").select(["id", "name"]).where("name_key", "=", name.trim().toLowerCase()).executeTakeFirst(),
    async insertFolder(folder, now) {
      await db.insertInto("folders").values({ id: folder.id, name: folder.name, name_key: folder.name.trim().toLowerCase(), created_at: now }).execute();
    },
  };
}

export function createTemplateStore(db: Kysely<Database>): TemplateStore {
  const toRecord = (row: { id: string; name: string; built_in: number; fields: string }): TemplateRecord => ({
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
    async insertTemplate(template, now) {
      await db
        .insertInto("templates")
        .values({ id: template.id, name: template.name, built_in: 0, fields: JSON.stringify(template.fields), created_at: now })
        .execute();
    },
  };
}
