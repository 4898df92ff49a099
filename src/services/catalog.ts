// Folders and templates: the vault's furniture. Administrators create, rename, edit and delete
// them; everyone reads them. A folder goes only when empty; a template in use may be edited (its
// fields keep their keys and types, so stored values stay readable) but not deleted.
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { conflict, invalidInput, notFound, problem } from "../core/errors.js";
import type { CreateTemplateRequest } from "../contract/entries.js";
import type { FolderRecord, TemplateRecord } from "../store/folders-templates.js";
import type { Store, TransactionScope } from "../store/store.js";
import type { AccessService } from "./access.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import { checkName } from "./entry-input.js";

export type FolderView = FolderRecord & { entryCount: number };
/** A template, with how many entries follow it when the reader is an administrator. */
export type TemplateView = TemplateRecord & { entryCount?: number };

export interface CatalogService {
  listFolders(actor: Actor): Promise<FolderView[]>;
  createFolder(actor: Actor, name: string): Promise<FolderView>;
  renameFolder(actor: Actor, id: string, name: string): Promise<FolderView>;
  /** Refused (409, with the count) while any entry is in the folder. */
  deleteFolder(actor: Actor, id: string): Promise<void>;
  listTemplates(actor?: Actor): Promise<TemplateView[]>;
  createTemplate(actor: Actor, request: CreateTemplateRequest): Promise<TemplateRecord>;
  /** Replaces name and fields; while entries use it, every field they may hold stays, with its type. */
  updateTemplate(actor: Actor, id: string, request: CreateTemplateRequest): Promise<TemplateView>;
  /** Refused (409, with the count) while any entry uses the template. */
  deleteTemplate(actor: Actor, id: string): Promise<void>;
}

function checkTemplateFields(request: CreateTemplateRequest): void {
  const keys = request.fields.map((f) => f.key);
  if (new Set(keys).size !== keys.length) throw invalidInput(problem("template_keys_repeated"), "fields");
  if (request.fields.filter((f) => f.type === "otp").length > 1) throw invalidInput(problem("template_several_otp"), "fields");
  if (request.fields.filter((f) => f.type === "recovery_codes").length > 1) throw invalidInput(problem("template_several_recovery_lists"), "fields");
}

/** The first field entries may hold a value for that the new fields drop or retype. */
const lostField = (before: TemplateRecord, after: CreateTemplateRequest) =>
  before.fields.find((old) => !after.fields.some((field) => field.key === old.key && field.type === old.type));

export function createCatalogService(deps: { store: Store; access: AccessService; auditLog: AuditLog; clock: Clock }): CatalogService {
  const { store, access, auditLog, clock } = deps;

  async function loadFolder(repos: Pick<TransactionScope, "folders">, id: string): Promise<FolderRecord> {
    const folder = await repos.folders.findFolder(id);
    if (folder === undefined) throw notFound(problem("folder_not_found"));
    return folder;
  }

  async function loadOwnTemplate(repos: Pick<TransactionScope, "templates">, id: string): Promise<TemplateRecord> {
    const template = await repos.templates.findTemplate(id);
    if (template === undefined) throw notFound(problem("template_not_found"));
    if (template.builtIn) throw conflict(problem("template_built_in"));
    return template;
  }

  async function refuseTakenFolderName(repos: Pick<TransactionScope, "folders">, name: string, exceptId?: string): Promise<void> {
    const holder = await repos.folders.findFolderByName(name);
    if (holder !== undefined && holder.id !== exceptId) throw conflict(problem("folder_name_taken", { name }), "name");
  }

  return {
    async listFolders(actor) {
      const [folders, entries] = await Promise.all([store.folders.listFolders(), access.listIds(actor, "use", "all", "waived").then((ids) => store.entries.listEntries(ids))]);
      return folders.map((f) => ({ ...f, entryCount: entries.filter((e) => e.folderId === f.id).length }));
    },

    async createFolder(actor, rawName) {
      access.requireAdmin(actor, problem("folder_create_forbidden"));
      const name = checkName(rawName, "name", "folder");
      const folder = { id: randomUUID(), name };
      await auditLog.commit(actor, {
        work: async (tx) => {
          await refuseTakenFolderName(tx, name);
          await tx.folders.insertFolder(folder, clock.now());
        },
        events: () => [{ action: "folder.created", target: { type: "folder", id: folder.id, name }, details: { folderId: folder.id, name } }],
      });
      return { ...folder, entryCount: 0 };
    },

    async renameFolder(actor, id, rawName) {
      access.requireAdmin(actor, problem("folder_change_forbidden"));
      const name = checkName(rawName, "name", "folder");
      const { entryCount } = await auditLog.commit(actor, {
        work: async (tx) => {
          const folder = await loadFolder(tx, id);
          await refuseTakenFolderName(tx, name, id);
          await tx.folders.renameFolder(id, name);
          return { previous: folder.name, entryCount: await tx.folders.countEntriesInFolder(id) };
        },
        events: (result) => [{ action: "folder.renamed", target: { type: "folder", id, name }, details: { folderId: id, name, previousName: result.previous } }],
      });
      return { id, name, entryCount };
    },

    async deleteFolder(actor, id) {
      access.requireAdmin(actor, problem("folder_change_forbidden"));
      await auditLog.commit(actor, {
        work: async (tx) => {
          const folder = await loadFolder(tx, id);
          const count = await tx.folders.countEntriesInFolder(id);
          // "in_use": an entry arrived after the count (its foreign key stopped the delete); after
          // that failed statement PostgreSQL answers nothing more here, so the count is at least one.
          if (count > 0 || (await tx.folders.deleteFolder(id)) === "in_use") throw conflict(problem("folder_not_empty", { name: folder.name, count: Math.max(count, 1) }));
          return folder;
        },
        events: (folder) => [{ action: "folder.deleted", target: { type: "folder", id, name: folder.name }, details: { folderId: id, name: folder.name } }],
      });
    },

    async listTemplates(actor) {
      const templates = await store.templates.listTemplates();
      if (actor === undefined || !access.isAdmin(actor)) return templates;
      const counts = await store.templates.countEntriesByTemplate();
      return templates.map((template) => ({ ...template, entryCount: counts.get(template.id) ?? 0 }));
    },

    async createTemplate(actor, request) {
      access.requireAdmin(actor, problem("template_define_forbidden"));
      const name = checkName(request.name, "name", "template");
      checkTemplateFields(request);
      const template: TemplateRecord = { id: randomUUID(), name, builtIn: false, fields: request.fields };
      await auditLog.commit(actor, {
        work: async (tx) => {
          if ((await tx.templates.findTemplateByName(name)) !== undefined) throw conflict(problem("template_name_taken", { name }), "name");
          await tx.templates.insertTemplate(template, clock.now());
        },
        events: () => [{ action: "template.created", target: { type: "template", id: template.id, name }, details: { templateId: template.id, name } }],
      });
      return template;
    },

    async updateTemplate(actor, id, request) {
      access.requireAdmin(actor, problem("template_change_forbidden"));
      const name = checkName(request.name, "name", "template");
      checkTemplateFields(request);
      const updated: TemplateRecord = { id, name, builtIn: false, fields: request.fields };
      const entryCount = await auditLog.commit(actor, {
        work: async (tx) => {
          const before = await loadOwnTemplate(tx, id);
          const count = await tx.templates.countEntriesUsingTemplate(id);
          const lost = count > 0 ? lostField(before, request) : undefined;
          if (lost !== undefined) throw conflict(problem("template_field_locked", { count, label: lost.label }), "fields");
          await tx.templates.updateTemplate(updated);
          return count;
        },
        events: (count) => [{ action: "template.updated", target: { type: "template", id, name }, details: { templateId: id, name, entries: count } }],
      });
      return { ...updated, entryCount };
    },

    async deleteTemplate(actor, id) {
      access.requireAdmin(actor, problem("template_change_forbidden"));
      await auditLog.commit(actor, {
        work: async (tx) => {
          const template = await loadOwnTemplate(tx, id);
          const count = await tx.templates.countEntriesUsingTemplate(id);
          if (count > 0 || (await tx.templates.deleteTemplate(id)) === "in_use") throw conflict(problem("template_in_use", { name: template.name, count: Math.max(count, 1) }));
          return template;
        },
        events: (template) => [{ action: "template.deleted", target: { type: "template", id, name: template.name }, details: { templateId: id, name: template.name } }],
      });
    },
  };
}
