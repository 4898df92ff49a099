// Bulk import: upload a file or image, see a preview (no secrets in it), then confirm.
import { Type, type Static } from "typebox";
import { OtpAlgorithm, OtpType } from "./entries.js";
import { ImportPreviewProblem, Notice } from "./problem.js";

export { IMPORT_ITEM_LABELS, ITEM_LABEL_KEYS, type ItemLabelKey } from "../core/problems/import-preview.js";
// The rows live beside Problem, whose nothing-importable refusal carries them too.
export { ImportPreviewProblem } from "./problem.js";

/** Every value the format field takes: "auto" (decide by content), an export format, or "image" (QR codes). */
export const IMPORT_FORMAT_NAMES = [
  "auto", "aegis", "2fas", "bitwarden", "andotp", "gauth", "uris", "keepass", "freeotp-plus", "steam", "gauth-db",
  "authy", "freeotp", "microsoft-db", "duo", "proton", "battlenet",
  "stratum", "totp-authenticator", "authenticator-plus",
  "image",
] as const;
export type ImportFormatName = (typeof IMPORT_FORMAT_NAMES)[number];
export const ImportFormat = Type.Union(IMPORT_FORMAT_NAMES.map((f) => Type.Literal(f)));

export const CreateImportRequest = Type.Object(
  {
    data: Type.String({ maxLength: 30_000_000, description: "The file's bytes, base64-encoded (an export file or a QR image)." }),
    format: Type.Optional(ImportFormat),
    password: Type.Optional(Type.String({ maxLength: 1024, description: "For encrypted exports (Aegis, 2FAS, andOTP, KeePass, Authy, FreeOTP 2, Stratum, TOTP Authenticator, Authenticator Plus)." })),
    keyFile: Type.Optional(
      Type.String({ maxLength: 5_600_000, description: "A KeePass key file's bytes, base64-encoded (at most 4 MiB), for a database locked with one, with or without a password." }),
    ),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type CreateImportRequest = Omit<Static<typeof CreateImportRequest>, "format"> & { format?: ImportFormatName };

export const ImportPreviewEntry = Type.Object({
  index: Type.Integer(),
  name: Type.String(),
  issuer: Type.Union([Type.String(), Type.Null()]),
  account: Type.Union([Type.String(), Type.Null()]),
  folder: Type.Union([Type.String(), Type.Null()]),
  type: OtpType,
  algorithm: OtpAlgorithm,
  digits: Type.Integer(),
  period: Type.Integer(),
  duplicateOf: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], {
    description: "An existing entry this one looks like (same issuer and account, or same name).",
  }),
  warnings: Type.Array(Notice),
});
export type ImportPreviewEntry = Static<typeof ImportPreviewEntry>;

export const ImportPreview = Type.Object(
  {
    importId: Type.String({ format: "uuid" }),
    format: Type.String(),
    expiresAt: Type.String({ format: "date-time" }),
    entries: Type.Array(ImportPreviewEntry),
    problems: Type.Array(ImportPreviewProblem),
  },
  { $id: "ImportPreview" },
);
export type ImportPreview = Omit<Static<typeof ImportPreview>, "problems"> & { problems: ImportPreviewProblem[] };

export const ConfirmImportRequest = Type.Object(
  {
    folderId: Type.Optional(Type.Union([Type.String({ format: "uuid" }), Type.Null()])),
    /** Indexes to create; all valid entries when absent. */
    include: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 10_000 })),
    /** New names by index, e.g. from the add-entry dialog's QR tab. */
    names: Type.Optional(Type.Record(Type.String({ pattern: "^[0-9]+$" }), Type.String({ minLength: 1, maxLength: 200 }))),
  },
  { additionalProperties: false },
);
export type ConfirmImportRequest = Static<typeof ConfirmImportRequest>;

export const ConfirmImportReply = Type.Object(
  { created: Type.Array(Type.Object({ index: Type.Integer(), id: Type.String(), name: Type.String() })) },
  { $id: "ConfirmImportReply" },
);
export type ConfirmImportReply = Static<typeof ConfirmImportReply>;

export const ImportIdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
