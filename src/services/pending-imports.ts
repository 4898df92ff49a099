// Uploads waiting for a decision: the entries an export file or a QR image held, sealed under the
// keyring and bound to the import's id, for the person who uploaded them and only until they
// expire. Confirming an import creates them all; the add-entry dialog may instead create one of
// them as an entry of its own (with a template's fields), so the seed still never reaches a browser.
import { conflict, notFound, problem } from "../core/errors.js";
import { isProblemKey } from "../core/problems/catalogue.js";
import type { ImportedEntry } from "../core/intake/import-file.js";
import type { OtpAlgorithm, OtpIntake, OtpType } from "../core/otp/types.js";
import { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import type { PendingImportRecord } from "../store/pending-imports.js";
import type { Store } from "../store/store.js";
import type { Actor } from "./actor.js";
import { openOrDamaged } from "./damaged-secrets.js";

export const IMPORT_LIFETIME_MS = 30 * 60 * 1000;

export const IMPORT_GONE = problem("import_gone");
const IMPORT_DAMAGED = problem("import_damaged");

export interface SealedImportEntry extends Omit<ImportedEntry, "otp"> {
  readonly otp: { type: OtpType; algorithm: OtpAlgorithm; digits: number; period: number; counter: number; secret: string };
}

const importBinding = (importId: string) => ({ recordId: importId, field: "import" });

export function sealImportEntries(keyring: Pick<Keyring, "seal">, importId: string, entries: readonly ImportedEntry[]): Buffer {
  const sealedEntries: SealedImportEntry[] = entries.map(({ otp, ...rest }) => ({
    ...rest,
    otp: { type: otp.type, algorithm: otp.algorithm, digits: otp.digits, period: otp.period, counter: otp.counter, secret: otp.secret.reveal().toString("base64") },
  }));
  const plaintext = Secret.fromUtf8(JSON.stringify(sealedEntries));
  try {
    return keyring.seal(plaintext, importBinding(importId));
  } finally {
    plaintext.destroy();
  }
}

/** The actor's own pending import and its entries; not_found when it is someone else's, gone or expired. */
export async function openPendingImport(
  deps: { store: Pick<Store, "pendingImports">; keyring: Pick<Keyring, "open"> },
  actor: Actor,
  importId: string,
  now: number,
): Promise<{ pending: PendingImportRecord; entries: SealedImportEntry[] }> {
  const pending = await deps.store.pendingImports.findPendingImport(importId);
  if (pending === undefined || pending.userId !== actor.userId || pending.expiresAt <= now) throw notFound(IMPORT_GONE);
  const opened = openOrDamaged(() => deps.keyring.open(pending.sealed, importBinding(importId)));
  if (opened === "damaged") throw conflict(IMPORT_DAMAGED);
  try {
    return { pending, entries: JSON.parse(opened.revealUtf8()) as SealedImportEntry[] };
  } finally {
    opened.destroy();
  }
}

/** One pending entry's seed and labels, as a setup key or link would give them. */
export function intakeOfImported(item: SealedImportEntry): OtpIntake {
  const { secret, ...parameters } = item.otp;
  // An import sealed by a version that wrote warnings as English sentences has no key to say them by.
  const warnings = item.warnings.filter((warning) => typeof warning === "object" && isProblemKey(warning.key));
  return { otp: { ...parameters, secret: Secret.fromBytes(Buffer.from(secret, "base64")) }, issuer: item.issuer, account: item.account, warnings };
}
