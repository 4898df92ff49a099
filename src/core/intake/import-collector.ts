// Gathers the entries and problems of one import, item by item: names each entry by one rule,
// cleans and bounds its labels, and turns an invalid item into a problem instead of failing the file.
// Never lets a seed into a name, a label or a message.
import { invalidInput, isWatchwordError, problem, type ProblemKey, type ProblemParams, type ProblemText } from "../errors.js";
import { renderProblem, renderTemplate } from "../problems/catalogue.js";
import { IMPORT_ITEM_LABELS, itemLabel, type ItemLabelKey, type ItemLabelText } from "../problems/import-preview.js";
import type { OtpParameters } from "../otp/types.js";
import { removeForbiddenCharacters, type TextShape } from "../text-characters.js";

export interface ImportLimits {
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** Most entries (and problems) one file may produce. */
  readonly maxEntries: number;
  /** Longest name, issuer, account, folder, tag or username, in characters. */
  readonly maxLabelLength: number;
  /** Longest URL or notes, in characters. */
  readonly maxTextLength: number;
  /** Largest a compressed payload (a KeePass database's XML) may grow to once inflated, in bytes. */
  readonly maxInflatedBytes: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxEntries: 10_000,
  maxLabelLength: 200,
  maxTextLength: 10_000,
  maxInflatedBytes: 64 * 1024 * 1024,
});

export interface ImportedEntry {
  /** The item's position in the file (0-based); entries and problems share this numbering. */
  readonly index: number;
  readonly name: string;
  readonly issuer?: string;
  readonly account?: string;
  readonly otp: OtpParameters;
  readonly folder?: string;
  readonly tags?: readonly string[];
  readonly notes?: string;
  readonly url?: string;
  readonly username?: string;
  readonly warnings: readonly ProblemText[];
}

/**
 * An item that could not be imported, and why; never its secret. The label and the message are
 * English; `key` and `params` say the message in any language, and `labelKey` and `labelParams`
 * the label, when the server made it up rather than read it from the file (null then).
 */
export interface ImportProblem {
  readonly index: number;
  readonly label: string;
  readonly labelKey: ItemLabelKey | null;
  readonly labelParams: ItemLabelText["params"];
  readonly message: string;
  readonly key: ProblemKey;
  readonly params: ProblemParams;
}

/** What names a row in a problem: the item's own labels as the file gives them, or a label the server makes up. */
export type ItemLabel = Pick<ItemDraft, "title" | "issuer" | "account"> | ItemLabelText;

/** What a format parser reads from one item, before cleaning. */
export interface ItemDraft {
  /** The item's own title, where the format has one apart from the OTP labels (Bitwarden, KeePass). */
  readonly title?: string | undefined;
  readonly issuer?: string | undefined;
  readonly account?: string | undefined;
  readonly otp: OtpParameters;
  readonly folder?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly notes?: string | undefined;
  readonly url?: string | undefined;
  readonly username?: string | undefined;
  readonly warnings?: readonly ProblemText[] | undefined;
}

/**
 * The one naming rule: an item's own title when it has one; otherwise "Issuer (account)", or
 * whichever of the two exists (just one when they are equal); otherwise "Entry N".
 */
export function nameEntry(draft: Pick<ItemDraft, "title" | "issuer" | "account">, index: number): string {
  return ownName(draft) ?? renderItemLabel(itemLabel("entry", index + 1));
}

/** A label the server made up, in English. */
export const renderItemLabel = (label: ItemLabelText): string => renderTemplate(IMPORT_ITEM_LABELS[label.key], label.params);

/** The name the item's own labels give it, if they give one. */
function ownName(draft: Pick<ItemDraft, "title" | "issuer" | "account">): string | undefined {
  const title = cleanLabel(draft.title);
  if (title !== undefined) return title;
  const issuer = cleanLabel(draft.issuer);
  const account = cleanLabel(draft.account);
  if (issuer !== undefined && account !== undefined && issuer !== account) return `${issuer} (${account})`;
  return issuer ?? account;
}

/** Control characters (a newline in a name, say) become spaces; runs of white space become one. */
function cleanLabel(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = value.replace(/\p{Cc}/gu, " ").replace(/\p{Cs}/gu, "\uFFFD").replace(/\s+/gu, " ").trim();
  return cleaned === "" ? undefined : cleaned;
}

const LABEL_TOO_LONG = {
  issuer: "import_issuer_too_long",
  account: "import_account_too_long",
  folder: "import_folder_too_long",
  username: "import_username_too_long",
  tag: "import_tag_too_long",
} as const;

/** A problem row under a label the server made up, its English rendered from both keys. */
export function importProblem(index: number, label: ItemLabelText, text: ProblemText): ImportProblem {
  return {
    index,
    label: renderItemLabel(label),
    labelKey: label.key,
    labelParams: label.params,
    message: renderProblem(text),
    key: text.key,
    params: text.params,
  };
}

export class ImportCollector {
  readonly #limits: ImportLimits;
  readonly #entries: ImportedEntry[] = [];
  readonly #problems: ImportProblem[] = [];

  constructor(limits: ImportLimits) {
    this.#limits = limits;
  }

  get count(): number {
    return this.#entries.length + this.#problems.length;
  }

  /**
   * Reads one item: `read` returns its draft, undefined for an item that holds no OTP seed (a
   * password-only login, say), or throws a WatchwordError that becomes a problem labelled `label`.
   */
  add(index: number, label: ItemLabel, read: () => ItemDraft | undefined): void {
    let draft: ItemDraft | undefined;
    try {
      draft = read();
      if (draft === undefined) return;
      this.#reserve();
      this.#entries.push(this.#finish(index, draft));
    } catch (error) {
      // A fault of the whole file (too many entries, a wrong password) is not one item's problem.
      if (!isWatchwordError(error) || error.details.field === "file" || error.details.field === "password") throw error;
      // Every intake refusal has a key; one without would be a defect, still reported as the item's problem.
      this.problem(index, label, error.problemText ?? problem("import_item_unreadable"));
    }
  }

  problem(index: number, label: ItemLabel, text: ProblemText): void {
    this.#reserve();
    const own = "key" in label ? undefined : ownName(label);
    if (own === undefined) this.#problems.push(importProblem(index, "key" in label ? label : itemLabel("entry", index + 1), text));
    else this.#problems.push({ ...importProblem(index, itemLabel("entry", index + 1), text), label: this.#shorten(own), labelKey: null, labelParams: {} });
  }

  entries(): readonly ImportedEntry[] {
    return [...this.#entries].sort((a, b) => a.index - b.index);
  }

  problems(): readonly ImportProblem[] {
    return [...this.#problems].sort((a, b) => a.index - b.index);
  }

  #reserve(): void {
    if (this.count >= this.#limits.maxEntries) {
      throw invalidInput(
        problem("import_too_many_entries", { max: this.#limits.maxEntries }),
        "file",
      );
    }
  }

  #finish(index: number, draft: ItemDraft): ImportedEntry {
    const warnings = [...(draft.warnings ?? [])];
    const issuer = this.#label(draft.issuer, "issuer");
    const account = this.#label(draft.account, "account");
    let name = nameEntry({ title: draft.title, issuer, account }, index);
    if (name.length > this.#limits.maxLabelLength) {
      name = this.#shorten(name);
      warnings.push(problem("import_name_shortened", { count: this.#limits.maxLabelLength }));
    }
    const folder = this.#label(draft.folder, "folder");
    const username = this.#label(draft.username, "username");
    const url = this.#text(draft.url, "url", "line");
    const notes = this.#text(draft.notes, "notes", "lines");
    const tags = [...new Set((draft.tags ?? []).map((tag) => this.#label(tag, "tag")).filter((tag) => tag !== undefined))];
    return {
      index,
      name,
      ...(issuer === undefined ? {} : { issuer }),
      ...(account === undefined ? {} : { account }),
      otp: draft.otp,
      ...(folder === undefined ? {} : { folder }),
      ...(tags.length === 0 ? {} : { tags }),
      ...(notes === undefined ? {} : { notes }),
      ...(url === undefined ? {} : { url }),
      ...(username === undefined ? {} : { username }),
      warnings,
    };
  }

  #label(value: string | undefined, field: keyof typeof LABEL_TOO_LONG): string | undefined {
    const cleaned = cleanLabel(value);
    if (cleaned !== undefined && cleaned.length > this.#limits.maxLabelLength) {
      throw invalidInput(problem(LABEL_TOO_LONG[field], { max: this.#limits.maxLabelLength }), field);
    }
    return cleaned;
  }

  /** Longer text (notes, a URL), kept as written but for the characters no text may hold. */
  #text(value: string | undefined, field: "url" | "notes", shape: TextShape): string | undefined {
    const trimmed = value === undefined ? undefined : removeForbiddenCharacters(value, shape).trim();
    if (trimmed === undefined || trimmed === "") return undefined;
    if (trimmed.length > this.#limits.maxTextLength) {
      throw invalidInput(problem(field === "url" ? "import_url_too_long" : "import_notes_too_long", { max: this.#limits.maxTextLength }), field);
    }
    return trimmed;
  }

  #shorten(label: string): string {
    return label.length > this.#limits.maxLabelLength ? `${label.slice(0, this.#limits.maxLabelLength - 1)}…` : label;
  }
}
