// Entries: create, read, edit, delete, and overwrite the seed. Seeds and secret fields are sealed
// here, bound to the entry's id, and never leave this service unsealed.
import { randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { conflict, invalidInput, notFound, problem, type ProblemText } from "../core/errors.js";
import { Secret } from "../core/secret.js";
import type { OtpIntake } from "../core/otp/types.js";
import type { AccessRequestId } from "../core/ids.js";
import type { GrantPermission } from "../core/policy.js";
import type { Keyring } from "../crypto/keyring.js";
import type { CreateEntryRequest, EntryListQuery, EntrySeedInput, EntryTagQuery, UpdateEntryRequest } from "../contract/entries.js";
import { OTP_ONLY_TEMPLATE, RECOVERY_CODES_TEMPLATE, WEB_APP_TEMPLATE } from "../store/built-in-templates.js";
import type { EntryFieldRecord, EntryRecord, SealedSeed } from "../store/entries.js";
import type { TemplateRecord } from "../store/folders-templates.js";
import type { StepUpScope } from "../store/step-ups.js";
import type { Repositories, Store, TransactionScope } from "../store/store.js";
import { NO_SUCH_ENTRY, type AccessService } from "./access.js";
import type { Actor, Caller } from "./actor.js";
import type { AuditApproval, AuditLog } from "./audit-log.js";
import { listEntryPage, listEntryTags, type EntryListPage } from "./entry-listing.js";
import { createEntrySharingReader, type EntrySharing } from "./entry-sharing.js";
import { checkName, checkRecoveryCodes, checkTags, checkUrl, intakeFromSeedInput, nameFromLabels, optionalText, seedSource } from "./entry-input.js";
import { IMPORT_GONE, intakeOfImported, openPendingImport } from "./pending-imports.js";

export interface FieldView {
  readonly key: string;
  readonly label: string;
  readonly type: TemplateRecord["fields"][number]["type"];
  readonly value: string | null;
  readonly isSet: boolean;
}

export interface EntryView {
  readonly record: EntryRecord;
  readonly recovery: { readonly total: number; readonly remaining: number };
  /** The owner's name and who else holds the entry (entry-sharing.ts). */
  readonly sharing: EntrySharing;
}

export interface EntryDetailView extends EntryView {
  /** The template's name; its id when the template is gone. */
  readonly templateName: string;
  readonly fields: readonly FieldView[];
  readonly canManage: boolean;
}

export interface EntryChangeResult {
  readonly view: EntryDetailView;
  readonly warnings: readonly ProblemText[];
}

export interface EntryService {
  /** One page of the entries the caller may use (or ask for), by name. */
  list(actor: Caller, query: EntryListQuery): Promise<EntryListPage<EntryView>>;
  /** The tags of the entries `list` shows (any page), with how many carry each. */
  listTags(actor: Caller, query: EntryTagQuery): ReturnType<typeof listEntryTags>;
  get(actor: Actor, id: string): Promise<EntryDetailView>;
  create(actor: Actor, input: CreateEntryRequest): Promise<EntryChangeResult>;
  update(actor: Actor, id: string, input: UpdateEntryRequest): Promise<EntryChangeResult>;
  remove(actor: Actor, id: string): Promise<void>;
  overwriteSeed(actor: Actor, id: string, seed: EntrySeedInput): Promise<EntryChangeResult>;
  /**
   * Loads an entry the actor may `permission` (default use), or throws: not_found whether it is
   * missing or not theirs, forbidden when they see it but may not do this (access.ts).
   */
  loadUsable(actor: Caller, id: string, permission?: GrantPermission, refusal?: ProblemText): Promise<EntryRecord>;
  /** As loadUsable, with whose approval allowed it (the access request behind the grant used), for its audit event. */
  loadForUse(actor: Caller, id: string, permission?: GrantPermission, refusal?: ProblemText): Promise<UsableEntry>;
}

/** An entry the caller may use, whose approval allowed it, and the step-up its codes ask for (null: none). */
export interface UsableEntry {
  readonly entry: EntryRecord;
  readonly approvedBy: AuditApproval | undefined;
  readonly stepUp: StepUpScope | null;
}

const COLUMN_FIELDS = new Set(["url", "username"]);

export const seedBinding = (entryId: string) => ({ recordId: entryId, field: "seed" });
export const fieldBinding = (entryId: string, key: string) => ({ recordId: entryId, field: `field:${key}` });
export const recoveryBinding = (entryId: string, codeId: string) => ({ recordId: entryId, field: `recovery:${codeId}` });

export function sealSeed(keyring: Pick<Keyring, "seal">, entryId: string, intake: OtpIntake): SealedSeed {
  const { otp } = intake;
  return { type: otp.type, algorithm: otp.algorithm, digits: otp.digits, period: otp.period, counter: otp.counter, sealed: keyring.seal(otp.secret, seedBinding(entryId)) };
}

export function createEntryService(deps: { store: Store; access: AccessService; keyring: Keyring; auditLog: AuditLog; clock: Clock }): EntryService {
  const { store, access, keyring, auditLog, clock } = deps;
  const sharing = createEntrySharingReader({ store, clock });

  /** The seed found at `index` of the actor's pending import (a QR image's code), with its labels. */
  async function importedIntake(actor: Actor, source: { importId: string; index: number }): Promise<OtpIntake> {
    const { entries } = await openPendingImport({ store, keyring }, actor, source.importId, clock.now());
    const item = entries.find((candidate) => candidate.index === source.index);
    if (item === undefined) throw invalidInput(problem("import_code_missing", { index: source.index }), "seed.fromImport.index");
    return intakeOfImported(item);
  }

  async function loadForUse(actor: Caller, id: string, permission: GrantPermission = "use", refusal?: ProblemText): Promise<UsableEntry> {
    const { grant, entry, stepUp } = await access.requireEntry(actor, id, permission, refusal);
    return { entry, stepUp, approvedBy: grant === undefined || grant.accessRequestId === null ? undefined : await approvalOf(grant.id, grant.accessRequestId) };
  }

  /** Who approved the request that created the grant (only grants from approved requests need this read). */
  async function approvalOf(grantId: string, requestId: AccessRequestId): Promise<AuditApproval> {
    const request = await store.accessRequests.findRequest(requestId);
    const approverIds = (request?.decisions ?? []).filter((d) => d.decision === "approve").map((d) => d.approverId);
    const approvers = await Promise.all(approverIds.map(async (approverId) => ({ id: approverId, name: (await store.users.findUserById(approverId))?.username ?? approverId })));
    return { requestId, grantId, approvers };
  }

  const loadUsable = async (actor: Caller, id: string, permission: GrantPermission = "use", refusal?: ProblemText): Promise<EntryRecord> => (await loadForUse(actor, id, permission, refusal)).entry;

  const loadManageable = (actor: Actor, id: string): Promise<EntryRecord> => loadUsable(actor, id, "manage");

  /** The entry as its page shows it: to whoever may see it, approval-required or not. */
  async function loadVisible(actor: Actor, id: string): Promise<EntryRecord> {
    const inspection = await access.inspect(actor, id);
    if (inspection?.sees !== true) throw notFound(NO_SUCH_ENTRY);
    return inspection.entry;
  }

  const canManage = async (actor: Caller, entry: EntryRecord): Promise<boolean> => (await access.inspect(actor, entry.id))?.decide("manage").allowed === true;

  async function detail(actor: Actor, entry: EntryRecord, repos: Pick<Repositories, "recoveryCodes" | "entries" | "templates"> = store): Promise<EntryDetailView> {
    const [counts, stored, template, shared] = await Promise.all([
      repos.recoveryCodes.countRecoveryCodes([entry.id]),
      repos.entries.listFields(entry.id),
      repos.templates.findTemplate(entry.templateId),
      sharing.describe([entry]),
    ]);
    const byKey = new Map(stored.map((f) => [f.key, f]));
    const fields: FieldView[] = (template?.fields ?? [])
      .filter((f) => f.type === "text" || f.type === "url" || f.type === "secret")
      .filter((f) => !COLUMN_FIELDS.has(f.key))
      .map((f) => {
        const value = byKey.get(f.key);
        return { key: f.key, label: f.label, type: f.type, value: f.type === "secret" ? null : (value?.valueText ?? null), isSet: value !== undefined };
      });
    return {
      record: entry,
      recovery: counts.get(entry.id) ?? { total: 0, remaining: 0 },
      sharing: shared.get(entry.id)!,
      templateName: template?.name ?? entry.templateId, fields, canManage: await canManage(actor, entry) };
  }

  async function checkFolder(folderId: string | null | undefined): Promise<void> {
    if (folderId === undefined || folderId === null) return;
    if ((await store.folders.findFolder(folderId)) === undefined) throw invalidInput(problem("folder_id_unknown"), "folderId");
  }

  function sealFields(entryId: string, template: TemplateRecord, values: Readonly<Record<string, string>>): EntryFieldRecord[] {
    const known = new Map(template.fields.map((f) => [f.key, f]));
    const records: EntryFieldRecord[] = [];
    for (const [key, value] of Object.entries(values)) {
      const field = known.get(key);
      if (field === undefined || field.type === "otp" || field.type === "recovery_codes" || COLUMN_FIELDS.has(key)) {
        throw invalidInput(problem("template_field_unknown", { template: template.name, key }), `fields.${key}`);
      }
      if (field.type === "url") checkUrl(value);
      records.push(
        field.type === "secret"
          ? { key, valueText: null, valueSealed: keyring.seal(Secret.fromUtf8(value), fieldBinding(entryId, key)) }
          : { key, valueText: value, valueSealed: null },
      );
    }
    return records;
  }

  function chooseTemplateId(input: CreateEntryRequest): string {
    if (input.templateId !== undefined) return input.templateId;
    if (input.fields?.password !== undefined || input.url !== undefined || input.username !== undefined) return WEB_APP_TEMPLATE;
    return input.seed === undefined && input.recoveryCodes !== undefined ? RECOVERY_CODES_TEMPLATE : OTP_ONLY_TEMPLATE;
  }

  function checkRequired(template: TemplateRecord, input: CreateEntryRequest): void {
    for (const field of template.fields.filter((f) => f.required)) {
      const present =
        field.type === "otp" ? input.seed !== undefined : field.type === "recovery_codes" ? (input.recoveryCodes?.length ?? 0) > 0 : COLUMN_FIELDS.has(field.key) ? input[field.key as "url" | "username"] !== undefined : input.fields?.[field.key] !== undefined;
      if (!present) throw invalidInput(problem("template_field_required", { template: template.name, label: field.label }), field.type === "otp" ? "seed" : field.type === "recovery_codes" ? "recoveryCodes" : `fields.${field.key}`);
    }
  }

  async function writeRecoveryCodes(tx: Pick<Repositories, "recoveryCodes">, entryId: string, codes: readonly string[]): Promise<void> {
    await tx.recoveryCodes.replaceRecoveryCodes(
      entryId,
      codes.map((code, position) => {
        const id = randomUUID();
        return { id, position, codeSealed: keyring.seal(Secret.fromUtf8(code), recoveryBinding(entryId, id)) };
      }),
    );
  }

  return {
    loadUsable,
    loadForUse,

    listTags: (actor, query) => listEntryTags({ store, access }, actor, query),

    async list(actor, query) {
      const page = await listEntryPage({ store, access }, actor, query);
      const entries = page.entries.map((e) => e.record);
      const [counts, shared] = await Promise.all([store.recoveryCodes.countRecoveryCodes(entries.map((e) => e.id)), sharing.describe(entries)]);
      return { entries: entries.map((record) => ({ record, recovery: counts.get(record.id) ?? { total: 0, remaining: 0 }, sharing: shared.get(record.id)! })), nextCursor: page.nextCursor };
    },

    get: async (actor, id) => detail(actor, await loadVisible(actor, id)),

    async create(actor, input) {
      await access.requireCreateEntry(actor, input.folderId ?? null, problem("entry_create_forbidden"));
      const templateId = chooseTemplateId(input);
      const template = await store.templates.findTemplate(templateId);
      if (template === undefined) throw invalidInput(problem("template_id_unknown"), "templateId");
      checkRequired(template, input);
      const fromImport = input.seed !== undefined && seedSource(input.seed) === "import" ? input.seed.fromImport : undefined;
      const intake = input.seed === undefined ? undefined : fromImport !== undefined ? await importedIntake(actor, fromImport) : intakeFromSeedInput(input.seed);
      const name = checkName(input.name ?? nameFromLabels(input.issuer ?? intake?.issuer, input.account ?? intake?.account));
      await checkFolder(input.folderId);
      const recoveryCodes = checkRecoveryCodes(input.recoveryCodes);
      const now = clock.now();
      const id = randomUUID();
      const seed = intake === undefined ? undefined : sealSeed(keyring, id, intake);
      const record: EntryRecord = {
        id,
        name,
        folderId: input.folderId ?? null,
        templateId,
        issuer: optionalText(input.issuer) ?? intake?.issuer ?? null,
        account: optionalText(input.account) ?? intake?.account ?? null,
        url: checkUrl(input.url) ?? null,
        username: optionalText(input.username) ?? null,
        notes: optionalText(input.notes) ?? null,
        tags: checkTags(input.tags) ?? [],
        ownerId: actor.userId,
        otpType: seed?.type ?? null,
        otpAlgorithm: seed?.algorithm ?? null,
        otpDigits: seed?.digits ?? null,
        otpPeriod: seed?.period ?? null,
        hotpCounter: seed?.counter ?? 0,
        seedSealed: seed?.sealed ?? null,
        seedUpdatedAt: seed === undefined ? null : now,
        createdAt: now,
        updatedAt: now,
      };
      const fields = sealFields(id, template, input.fields ?? {});
      intake?.otp.secret.destroy();
      await auditLog.commit(actor, {
        work: async (tx: TransactionScope) => {
          if (await tx.entries.isNameTaken(record.folderId, name)) throw conflict(problem("entry_name_taken", { name }), "name");
          // A found code is used once: the import it came from is gone with this entry.
          if (fromImport !== undefined && !(await tx.pendingImports.deletePendingImport(fromImport.importId))) throw notFound(IMPORT_GONE);
          await tx.entries.insertEntry(record);
          for (const field of fields) await tx.entries.upsertField(id, field);
          if (recoveryCodes !== undefined) await writeRecoveryCodes(tx, id, recoveryCodes);
        },
        events: () => [{ action: "entry.created", entry: { id, name, folderId: record.folderId }, details: { template: templateId, otp: record.otpType, recoveryCodes: recoveryCodes?.length ?? 0 } }],
      });
      return { view: await detail(actor, record), warnings: intake?.warnings ?? [] };
    },

    async update(actor, id, input) {
      const entry = await loadManageable(actor, id);
      const name = input.name === undefined ? undefined : checkName(input.name);
      await checkFolder(input.folderId);
      if (input.folderId !== undefined && input.folderId !== entry.folderId) await access.requireCreateEntry(actor, input.folderId, problem("entry_change_forbidden"));
      const template = await store.templates.findTemplate(entry.templateId);
      const fields = template === undefined ? [] : sealFields(id, template, input.fields ?? {});
      const changes = {
        ...(name === undefined ? {} : { name }),
        ...(input.folderId === undefined ? {} : { folderId: input.folderId }),
        issuer: optionalText(input.issuer),
        account: optionalText(input.account),
        url: checkUrl(input.url),
        username: optionalText(input.username),
        notes: optionalText(input.notes),
        tags: checkTags(input.tags),
      };
      await auditLog.commit(actor, {
        work: async (tx: TransactionScope) => {
          const folderId = changes.folderId === undefined ? entry.folderId : changes.folderId;
          if ((name !== undefined || changes.folderId !== undefined) && (await tx.entries.isNameTaken(folderId, name ?? entry.name, id))) {
            throw conflict(problem("entry_name_taken", { name: name ?? entry.name }), "name");
          }
          await tx.entries.updateEntry(id, changes, clock.now());
          for (const field of fields) await tx.entries.upsertField(id, field);
        },
        events: () => [{ action: "entry.updated", entry: { id, name: name ?? entry.name, folderId: changes.folderId === undefined ? entry.folderId : changes.folderId }, details: { changed: Object.keys(input) } }],
      });
      return { view: await detail(actor, (await store.entries.findEntry(id))!), warnings: [] };
    },

    async remove(actor, id) {
      const entry = await loadManageable(actor, id);
      await auditLog.commit(actor, {
        work: (tx: TransactionScope) => tx.entries.deleteEntry(id),
        events: () => [{ action: "entry.deleted", entry: { id, name: entry.name, folderId: entry.folderId } }],
      });
    },

    async overwriteSeed(actor, id, seedInput) {
      const entry = await loadManageable(actor, id);
      const fromImport = seedSource(seedInput) === "import" ? seedInput.fromImport : undefined;
      const intake = fromImport !== undefined ? await importedIntake(actor, fromImport) : intakeFromSeedInput(seedInput);
      const seed = sealSeed(keyring, id, intake);
      intake.otp.secret.destroy();
      await auditLog.commit(actor, {
        work: async (tx: TransactionScope) => {
          if (fromImport !== undefined && !(await tx.pendingImports.deletePendingImport(fromImport.importId))) throw notFound(IMPORT_GONE);
          await tx.entries.replaceSeed(id, seed, clock.now());
        },
        events: () => [{ action: "seed.overwritten", entry: { id, name: entry.name, folderId: entry.folderId }, details: { type: seed.type, algorithm: seed.algorithm, digits: seed.digits, period: seed.period } }],
      });
      return { view: await detail(actor, (await store.entries.findEntry(id))!), warnings: intake.warnings };
    },
  };
}
