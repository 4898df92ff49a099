// Folders and templates: the vault's furniture. Administrators create them; everyone reads them.
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { canAdminister } from "../core/entry-access.js";
import { conflict, forbidden, invalidInput } from "../core/errors.js";
import type { CreateTemplateRequest } from "../contract/entries.js";
import type { FolderRecord, TemplateRecord } from "../store/folders-templates.js";
import type { Store } from "../store/store.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import { checkName } from "./entry-input.js";

export interface CatalogService {
  listFolders(actor: Actor): Promise<(FolderRecord & { entryCount: number })[]>;
  createFolder(actor: Actor, name: string): Promise<FolderRecord & { entryCount: number }>;
  listTemplates(): Promise<TemplateRecord[]>;
  createTemplate(actor: Actor, request: CreateTemplateRequest): Promise<TemplateRecord>;
}

export function createCatalogService(deps: { store: Store; auditLog: AuditLog; clock: Clock }): CatalogService {
  const { store, auditLog, clock } = deps;
  return {
    async listFolders(actor) {
      const [folders, entries] = await Promise.all([store.folders.listFolders(), store.entries.listEntries(actor.role === "admin" ? undefined : actor.userId)]);
      return folders.map((f) => ({ ...f, entryCount: entries.filter((e) => e.folderId === f.id).length }));
    },

    async createFolder(actor, rawName) {
      if (!canAdminister(actor)) throw forbidden("Only administrators create folders.");
      const name = checkName(rawName);
      const folder = { id: randomUUID(), name };
      await auditLog.commit(actor, {
        work: async (tx) => {
          if ((await tx.folders.findFolderByName(name)) !== undefined) throw conflict(`A folder named "${name}" already exists.`, "name");
          await tx.folders.insertFolder(folder, clock.now());
        },
        events: () => [{ action: "folder.created", details: { folderId: folder.id, name } }],
      });
      return { ...folder, entryCount: 0 };
    },

    listTemplates: () => store.templates.listTemplates(),

    async createTemplate(actor, request) {
      if (!canAdminister(actor)) throw forbidden("Only administrators define templates.");
      const name = checkName(request.name);
      const keys = request.fields.map((f) => f.key);
      if (new Set(keys).size !== keys.length) throw invalidInput("Each field of a template needs its own key.", "fields");
      if (request.fields.filter((f) => f.type === "otp").length > 1) throw invalidInput("A template holds at most one OTP seed.", "fields");
      if (request.fields.filter((f) => f.type === "recovery_codes").length > 1) throw invalidInput("A template holds at most one list of recovery codes.", "fields");
      const template: TemplateRecord = { id: randomUUID(), name, builtIn: false, fields: request.fields };
      await auditLog.commit(actor, {
        work: async (tx) => {
          if ((await tx.templates.findTemplateByName(name)) !== undefined) throw conflict(`A template named "${name}" already exists.`, "name");
          await tx.templates.insertTemplate(template, clock.now());
        },
        events: () => [{ action: "template.created", details: { templateId: template.id, name } }],
      });
      return template;
    },
  };
}
