// Reads Authenticator Plus backups (.zip): a ZIP archive encrypted with the backup's password that
// holds Accounts.txt, a list of otpauth:// links (Aegis's AuthenticatorPlusImporter). The archive
// is bounded before anything is extracted (zip-archive.ts); the links are read like any link list.
import type { FormatContext } from "./format-context.js";
import { ImportSource } from "./import-source.js";
import { parseUriLines } from "./uri-lines.js";
import { extractZipFile } from "./zip-archive.js";

const TITLE = "Authenticator Plus";
const ACCOUNTS_FILE = "Accounts.txt";
/** The app writes Accounts.txt and a few small files beside it. */
const MAX_ARCHIVE_ENTRIES = 64;
/** otpauth:// links with random seeds deflate about 2:1; 100:1 leaves room and stops any bomb. */
const MAX_COMPRESSION_RATIO = 100;

export async function parseAuthenticatorPlus(source: ImportSource, context: FormatContext): Promise<void> {
  const accounts = await extractZipFile(source.bytes, {
    fileName: ACCOUNTS_FILE,
    password: context.password,
    bounds: { maxEntries: MAX_ARCHIVE_ENTRIES, maxFileBytes: context.limits.maxBytes, maxRatio: MAX_COMPRESSION_RATIO },
    title: TITLE,
  });
  try {
    await parseUriLines(new ImportSource(accounts), context, TITLE);
  } finally {
    accounts.fill(0);
  }
}
