// Entry views from the services, in the contract's reply shapes. There is no field for a seed.
import type { EntryDetail, EntrySummary, Folder, Template } from "../../contract/entries.js";
import type { IssuedCode } from "../../services/codes.js";
import type { EntryDetailView, EntryView } from "../../services/entries.js";
import type { TemplateView } from "../../services/catalog.js";
import type { FolderRecord } from "../../store/folders-templates.js";
import { sharedWithOf } from "./grant-shapes.js";

const iso = (ms: number): string => new Date(ms).toISOString();

export function entrySummaryOf({ record: e, recovery, sharing }: EntryView): EntrySummary {
  return {
    id: e.id,
    name: e.name,
    folderId: e.folderId,
    issuer: e.issuer,
    account: e.account,
    url: e.url,
    tags: [...e.tags],
    templateId: e.templateId,
    ownerId: e.ownerId,
    owner: { id: e.ownerId, name: sharing.ownerName },
    sharedWith: sharing.sharedWith.map(sharedWithOf),
    otp:
      e.otpType === null || e.seedUpdatedAt === null
        ? null
        : {
            type: e.otpType as "totp" | "hotp" | "steam",
            algorithm: e.otpAlgorithm as "SHA1" | "SHA256" | "SHA512",
            digits: e.otpDigits ?? 6,
            period: e.otpPeriod ?? 30,
            seedUpdatedAt: iso(e.seedUpdatedAt),
          },
    recoveryCodes: { total: recovery.total, remaining: recovery.remaining },
    updatedAt: iso(e.updatedAt),
  };
}

export const entryDetailOf = (view: EntryDetailView): EntryDetail => ({
  ...entrySummaryOf(view),
  username: view.record.username,
  notes: view.record.notes,
  templateName: view.templateName,
  fields: view.fields.map((f) => ({ ...f })),
  createdAt: iso(view.record.createdAt),
  canManage: view.canManage,
});

export const codeReplyOf = ({ code, type, digits, period, validFrom, validUntil }: IssuedCode) => ({ code, type, digits, period, validFrom, validUntil });

export const folderOf = (f: FolderRecord & { entryCount: number }): Folder => ({ id: f.id, name: f.name, entryCount: f.entryCount });

export const templateOf = (t: TemplateView): Template => ({
  id: t.id,
  name: t.name,
  builtIn: t.builtIn,
  fields: t.fields.map((f) => ({ ...f })),
  ...(t.entryCount === undefined ? {} : { entryCount: t.entryCount }),
});
