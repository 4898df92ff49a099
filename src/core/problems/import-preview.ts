// English for the rows of an import preview that could not be imported: the sentences a row's
// problem may say (spread into catalogue.ts), and the labels the server makes up for a row whose
// file gives it no name ("Line 3"). Labels are not sentences, so they are a catalogue of their own;
// the web app says both in the reader's language (web/src/i18n: "problems", "imports.preview.labels").
export const IMPORT_PREVIEW_PROBLEMS = {
  import_item_unreadable: "This item could not be read.",
  import_transfer_parts_missing: {
    one: "The transfer was split into {{size}} QR codes, but {{count}} of them is missing (part {{parts}}); add every part to import all accounts.",
    other: "The transfer was split into {{size}} QR codes, but {{count}} of them are missing (parts {{parts}}); add every part to import all accounts.",
  },
} as const;

export const IMPORT_ITEM_LABELS = Object.freeze({
  /** An item of a list with no name of its own, counted from 1. */
  entry: "Entry {{number}}",
  /** A Bitwarden item without a title. */
  item: "Item {{number}}",
  /** A line of a list of otpauth links. */
  line: "Line {{number}}",
  /** The Google Authenticator transfer as a whole (its parts spread over several QR codes). */
  gauth_transfer: "Google Authenticator transfer",
  /** The one QR code of a picture. */
  qr_code: "QR code",
  /** One of several QR codes of a picture, counted from 1. */
  qr_code_numbered: "QR code {{number}}",
});

export type ItemLabelKey = keyof typeof IMPORT_ITEM_LABELS;
export const ITEM_LABEL_KEYS = Object.freeze(Object.keys(IMPORT_ITEM_LABELS) as ItemLabelKey[]);

/** A label the server made up, by key and the number it names (none for gauth_transfer). */
export interface ItemLabelText {
  readonly key: ItemLabelKey;
  readonly params: Readonly<{ number?: number }>;
}

export const itemLabel = (key: ItemLabelKey, number?: number): ItemLabelText =>
  Object.freeze({ key, params: Object.freeze(number === undefined ? {} : { number }) });
