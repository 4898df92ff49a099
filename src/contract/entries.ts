// Request and reply shapes for folders, templates and entries. No reply shape has a place for a
// seed: the seed goes in (EntrySeedInput) and never comes back out.
import { Type, type Static } from "typebox";
import { SharedWith } from "./grants.js";
import { Notice } from "./problem.js";
import { ENTRY_PAGE_DEFAULT, ENTRY_PAGE_MAX } from "../core/entry-paging.js";

const Id = Type.String({ format: "uuid" });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Timestamp = Type.String({ format: "date-time" });

export const OtpType = Type.Union([Type.Literal("totp"), Type.Literal("hotp"), Type.Literal("steam")]);
export const OtpAlgorithm = Type.Union([Type.Literal("SHA1"), Type.Literal("SHA256"), Type.Literal("SHA512")]);
export type OtpType = Static<typeof OtpType>;
export type OtpAlgorithm = Static<typeof OtpAlgorithm>;

/** What is known about an entry's seed without revealing it. */
export const OtpSummary = Type.Object(
  {
    type: OtpType,
    algorithm: OtpAlgorithm,
    digits: Type.Integer(),
    period: Type.Integer({ description: "Seconds per code (TOTP and Steam)." }),
    seedUpdatedAt: Timestamp,
  },
  { $id: "OtpSummary" },
);
export type OtpSummary = Static<typeof OtpSummary>;

/** A seed as a person gives it: a setup key, an otpauth:// link, or one found in an upload (a QR image). */
export const EntrySeedInput = Type.Object(
  {
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: "Base32 setup key; spaces, dashes and lower case are fine.", examples: ["JBSW Y3DP EHPK 3PXP"] })),
    uri: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: "An otpauth:// link (Key URI Format) or steam://.", examples: ["otpauth://totp/ACME:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME"] })),
    type: Type.Optional(OtpType),
    algorithm: Type.Optional(OtpAlgorithm),
    digits: Type.Optional(Type.Integer({ minimum: 5, maximum: 10 })),
    period: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    counter: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "HOTP: the counter of the next code, at most 2^53 − 1." })),
    fromImport: Type.Optional(
      Type.Object(
        { importId: Id, index: Type.Integer({ minimum: 0, maximum: 100_000 }) },
        { additionalProperties: false, description: "A seed found in one of your pending imports (POST /api/v1/imports, e.g. a QR image), by its preview index. The import is used up." },
      ),
    ),
  },
  { additionalProperties: false, description: "Exactly one of secret, uri or fromImport. With secret, type/algorithm/digits/period/counter override the defaults (TOTP, SHA1, 6, 30)." },
);
export type EntrySeedInput = Static<typeof EntrySeedInput>;

export const TemplateFieldType = Type.Union([Type.Literal("text"), Type.Literal("url"), Type.Literal("secret"), Type.Literal("otp"), Type.Literal("recovery_codes")]);

export type TemplateFieldType = Static<typeof TemplateFieldType>;

export const TemplateField = Type.Object(
  {
    key: Type.String({ pattern: "^[a-z][a-z0-9_]{0,39}$" }),
    label: Type.String({ minLength: 1, maxLength: 80 }),
    type: TemplateFieldType,
    required: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type TemplateField = Static<typeof TemplateField>;

export const Template = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    builtIn: Type.Boolean(),
    fields: Type.Array(TemplateField),
    entryCount: Type.Optional(Type.Integer({ description: "How many entries follow the template; given to administrators only." })),
  },
  { $id: "Template" },
);
export type Template = Static<typeof Template>;

export const CreateTemplateRequest = Type.Object(
  { name: Name, fields: Type.Array(TemplateField, { minItems: 1, maxItems: 30 }) },
  { additionalProperties: false },
);
export type CreateTemplateRequest = Static<typeof CreateTemplateRequest>;

/** A template's new name and fields. While entries use it, each of its fields must stay, with its key and type. */
export const UpdateTemplateRequest = CreateTemplateRequest;
export type UpdateTemplateRequest = CreateTemplateRequest;

export const TemplateIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const Folder = Type.Object({ id: Id, name: Type.String(), entryCount: Type.Integer() }, { $id: "Folder" });
export type Folder = Static<typeof Folder>;

export const CreateFolderRequest = Type.Object({ name: Name }, { additionalProperties: false });
export type CreateFolderRequest = Static<typeof CreateFolderRequest>;

export const RenameFolderRequest = CreateFolderRequest;
export type RenameFolderRequest = CreateFolderRequest;

export const FolderIdParams = Type.Object({ id: Id });

export const EntrySummary = Type.Object(
  {
    id: Id,
    name: Type.String(),
    folderId: Type.Union([Id, Type.Null()]),
    issuer: Type.Union([Type.String(), Type.Null()]),
    account: Type.Union([Type.String(), Type.Null()]),
    url: Type.Union([Type.String(), Type.Null()]),
    tags: Type.Array(Type.String()),
    templateId: Type.String(),
    ownerId: Id,
    owner: Type.Object({ id: Id, name: Type.String({ description: "The owner's display name; their id when the account is gone." }) }),
    sharedWith: Type.Array(SharedWith, { description: "Live grants on the entry and on its folder, oldest first." }),
    otp: Type.Union([OtpSummary, Type.Null()]),
    recoveryCodes: Type.Object({ total: Type.Integer(), remaining: Type.Integer() }),
    updatedAt: Timestamp,
  },
  { $id: "EntrySummary" },
);
export type EntrySummary = Static<typeof EntrySummary>;

export const EntryField = Type.Object({
  key: Type.String(),
  label: Type.String(),
  type: TemplateFieldType,
  /** Plain fields carry their value; secret fields only say whether one is set. */
  value: Type.Union([Type.String(), Type.Null()]),
  isSet: Type.Boolean(),
});

export const EntryDetail = Type.Object(
  {
    ...EntrySummary.properties,
    username: Type.Union([Type.String(), Type.Null()]),
    notes: Type.Union([Type.String(), Type.Null()]),
    templateName: Type.String({ description: "The template's name, so a page can show it without loading every template." }),
    fields: Type.Array(EntryField),
    createdAt: Timestamp,
    canManage: Type.Boolean({ description: "May edit the entry, overwrite its seed, and add and revoke its grants." }),
  },
  { $id: "EntryDetail" },
);
export type EntryDetail = Static<typeof EntryDetail>;

const EntryAttributes = {
  folderId: Type.Optional(Type.Union([Id, Type.Null()])),
  issuer: Type.Optional(Type.String({ maxLength: 200 })),
  account: Type.Optional(Type.String({ maxLength: 200 })),
  url: Type.Optional(Type.String({ maxLength: 2048 })),
  username: Type.Optional(Type.String({ maxLength: 200 })),
  notes: Type.Optional(Type.String({ maxLength: 10_000 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 30 })),
  /** Values of the template's text, url and secret fields, by key. */
  fields: Type.Optional(Type.Record(Type.String({ pattern: "^[a-z][a-z0-9_]{0,39}$" }), Type.String({ maxLength: 10_000 }))),
};

export const CreateEntryRequest = Type.Object(
  {
    name: Type.Optional(Name),
    templateId: Type.Optional(Type.String({ maxLength: 64 })),
    ...EntryAttributes,
    seed: Type.Optional(EntrySeedInput),
    recoveryCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
  },
  {
    additionalProperties: false,
    description: "Without a name, the name is taken from the link's issuer and account.",
    examples: [{ name: "AWS root", seed: { secret: "JBSWY3DPEHPK3PXP" }, tags: ["cloud"] }],
  },
);
export type CreateEntryRequest = Static<typeof CreateEntryRequest>;

export const UpdateEntryRequest = Type.Object({ name: Type.Optional(Name), ...EntryAttributes }, { additionalProperties: false });
export type UpdateEntryRequest = Static<typeof UpdateEntryRequest>;

export const EntryReply = Type.Object(
  { entry: EntryDetail, warnings: Type.Array(Notice, { description: "What the person should know, e.g. seed_weak: a seed shorter than 128 bits." }) },
  { $id: "EntryReply" },
);
export type EntryReply = Static<typeof EntryReply>;

export { ENTRY_PAGE_DEFAULT, ENTRY_PAGE_MAX };

export const EntryList = Type.Object(
  {
    entries: Type.Array(EntrySummary, { description: "By name (then id)." }),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: "Pass as cursor for the next page; null when this was the last." }),
  },
  { $id: "EntryList" },
);
export type EntryList = Static<typeof EntryList>;

export const EntryListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description: "Words, all of which must occur in the entry's name, issuer, account or tags (any of them, each word anywhere), case and accents ignored.",
      }),
    ),
    folderId: Type.Optional(Type.Union([Id, Type.Literal("none")], { description: "The entries of this folder; none: those in no folder." })),
    tag: Type.Optional(Type.String({ maxLength: 50 })),
    view: Type.Optional(
      Type.Union([Type.Literal("mine"), Type.Literal("all")], {
        description: "mine (default): the entries you own or were granted, and those you may ask for; all: every entry (administrators; for others the same as mine).",
      }),
    ),
    limit: Type.Optional(Type.String({ pattern: "^[0-9]{1,4}$", description: `Entries per page, 1 to ${ENTRY_PAGE_MAX} (default ${ENTRY_PAGE_DEFAULT}).` })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: "nextCursor of the page before: the entries after it, by name, with the same filters. Opaque." })),
  },
  { additionalProperties: false, description: "A long list comes in pages: follow nextCursor until it is null." },
);
export type EntryListQuery = Static<typeof EntryListQuery>;

/** The most tags GET /api/v1/entry-tags answers. */
export const ENTRY_TAG_MAX = 1000;

export const EntryTagQuery = Type.Object(
  {
    view: Type.Optional(Type.Union([Type.Literal("mine"), Type.Literal("all")], { description: "As for GET /api/v1/entries: mine (default), or all (administrators; for others the same as mine)." })),
  },
  { additionalProperties: false },
);
export type EntryTagQuery = Static<typeof EntryTagQuery>;

export const EntryTagList = Type.Object(
  {
    tags: Type.Array(
      Type.Object({ tag: Type.String(), entries: Type.Integer({ minimum: 1, description: "How many of the entries the list shows carry it." }) }),
      { description: `The most used first (ties by tag), at most ${ENTRY_TAG_MAX}.` },
    ),
    isComplete: Type.Boolean({ description: `false when more than ${ENTRY_TAG_MAX} tags are in use and the least used were left out.` }),
  },
  { $id: "EntryTagList" },
);
export type EntryTagList = Static<typeof EntryTagList>;

export const EntryIdParams = Type.Object({ id: Id });
export type EntryIdParams = Static<typeof EntryIdParams>;
