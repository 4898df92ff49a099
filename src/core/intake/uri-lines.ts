// Reads text files of links, one per line: otpauth:// and steam:// (the plain exports of
// FreeOTP+, Ente Auth, Raivo, Aegis and others) and Google Authenticator's otpauth-migration://
// (one line per QR code of a batch). Blank lines and lines starting with '#' are skipped.
// A line that cannot be read is a problem labelled with its line number; the rest still import.
import { isWatchwordError, problem } from "../errors.js";
import { itemLabel } from "../problems/import-preview.js";
import { parseOtpauthUri } from "../otp/otpauth-uri.js";
import type { FormatContext } from "./format-context.js";
import type { ImportSource } from "./import-source.js";
import { readMigrationItem, readMigrationLabels, readMigrationUri, type MigrationBatch } from "./gauth-migration.js";

const MIGRATION_SCHEME = /^otpauth-migration:/iu;

/** The lines that carry content: not blank, not a '#' comment. */
export function contentLines(text: string): { line: string; number: number }[] {
  const lines: { line: string; number: number }[] = [];
  text.split(/\r\n|\n|\r/u).forEach((raw, i) => {
    const line = raw.trim();
    if (line !== "" && !line.startsWith("#")) lines.push({ line, number: i + 1 });
  });
  return lines;
}

/** True when the first content line is a link this module reads. */
export function startsWithOtpLink(text: string): "gauth" | "uris" | undefined {
  const first = /^\s*(?:#[^\n]*\n\s*)*(\S{0,40})/u.exec(text.slice(0, 64 * 1024))?.[1] ?? "";
  if (MIGRATION_SCHEME.test(first)) return "gauth";
  if (/^(otpauth|steam):\/\//iu.test(first)) return "uris";
  return undefined;
}

export function parseUriLines(source: ImportSource, context: FormatContext, formatTitle: string): Promise<void> {
  const text = source.requireText(formatTitle);
  const { collector } = context;
  const batches = new Map<number, { size: number; seen: Set<number> }>();
  let index = 0;

  for (const { line, number } of contentLines(text)) {
    if (!MIGRATION_SCHEME.test(line)) {
      collector.add(index++, itemLabel("line", number), () => {
        const intake = parseOtpauthUri(line);
        return { issuer: intake.issuer, account: intake.account, otp: intake.otp, warnings: intake.warnings };
      });
      continue;
    }
    let batch: MigrationBatch;
    try {
      batch = readMigrationUri(line);
    } catch (error) {
      if (!isWatchwordError(error)) throw error;
      collector.problem(index++, itemLabel("line", number), error.problemText ?? problem("import_item_unreadable"));
      continue;
    }
    for (const item of batch.items) {
      const itemIndex = index++;
      collector.add(itemIndex, readMigrationLabels(item), () => readMigrationItem(item));
    }
    if (batch.batchSize > 1) {
      const known = batches.get(batch.batchId) ?? { size: batch.batchSize, seen: new Set<number>() };
      known.seen.add(batch.batchIndex);
      batches.set(batch.batchId, known);
    }
  }

  // Google Authenticator splits a large transfer across several QR codes; say which are absent.
  for (const { size, seen } of batches.values()) {
    const missing = Array.from({ length: Math.min(size, 1000) }, (_, i) => i).filter((i) => !seen.has(i));
    if (missing.length === 0) continue;
    const parts = missing.slice(0, 10).map((i) => i + 1).join(", ") + (missing.length > 10 ? "…" : "");
    collector.problem(index++, itemLabel("gauth_transfer"), problem("import_transfer_parts_missing", { size, count: missing.length, parts }));
  }
  return Promise.resolve();
}
