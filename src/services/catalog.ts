// Folders and templates: the vault's furniture. Administrators create them; everyone reads them.
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { canAdminister } from "../core/entry-access.js";
import { conflict, forbidden, invalidInput, problem } from "../core/errors.js";
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
      if (!canAdminister(actor)) throw forbidden(problem("folder_create_forbidden"));
      const name = checkName(rawName, "name", "folder");
      const folder = { id: randomUUID(), name };
      await auditLog.commit(actor, {
        work: async (tx) => {
          if ((await tx.folders.findFolderByName(name)) !== undefined) throw conflict(problem("folder_name_taken", { name }), "name");
          await tx.folders.insertFolder(folder, clock.now());
        },
        events: () => [{ action: "folder.created", details: { folderId: folder.id, name } }],
      });
      return { ...folder, entryCount: 0 };
    },

    listTemplates: () => store.templates.listTemplates(),

    async createTemplate(actor, request) {
      if (!canAdminister(actor)) throw forbidden(problem("template_define_forbidden"));
      const name = checkName(request.name, "name", "template");
      const keys = request.fields.map((f) => f.key);
      if (new Set(keys).size !== keys.length) throw invalidInput(problem("template_keys_repeated"), "fields");
      if (request.fields.filter((f) => f.type === "otp").length > 1) throw invalidInput(problem("template_several_otp"), "fields");
      if (request.fields.filter((f) => f.type === "recovery_codes").length > 1) throw invalidInput(problem("template_several_recovery_lists"), "fields");
      const template: TemplateRecord = { id: randomUUID(), name, builtIn: false, fields: request.fields };
      await auditLog.commit(actor, {
        work: (tx) => tx.templates.insertTemplate(template, clock.now()),
        events: () => [{ action: "template.created", details: { templateId: template.id, name } }],
      });
      return template;
    },
  };
}
