// `watchword entry add NAME`: a new entry from a setup key, an otpauth:// link or a QR image.
// The seed goes in and never comes back: the reply (and --json) shows the entry without it.
import path from "node:path";
import type { Command } from "commander";
import type { WatchwordClient } from "../client/client.js";
import type { EntryReply, EntrySeedInput } from "../contract/entries.js";
import { invalidInput, unavailable } from "../core/errors.js";
import type { ClientIo } from "./client-io.js";
import { readInputFile } from "./input-files.js";
import { folderIdOf } from "./name-lookup.js";
import { addClientOptions, connect, toJson, type ConnectionFlags, type JsonFlag } from "./server-connection.js";
import { printable } from "./text-output.js";

interface AddFlags extends ConnectionFlags, JsonFlag {
  secret?: string;
  uri?: string;
  qr?: string;
  folder?: string;
  issuer?: string;
  account?: string;
  type?: string;
  algorithm?: string;
  digits?: string;
  period?: string;
  counter?: string;
}

const OTP_TYPES = ["totp", "hotp", "steam"] as const;
const ALGORITHMS = ["SHA1", "SHA256", "SHA512"] as const;

function wholeNumber(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw.trim())) throw invalidInput(`${flag} must be a whole number, not "${printable(raw.slice(0, 20))}".`, flag.slice(2));
  return Number(raw);
}

/** --type, --algorithm, --digits, --period and --counter: only with --secret (a link or QR code says them itself). */
function seedSettings(flags: AddFlags): Omit<EntrySeedInput, "secret" | "uri"> {
  const type = flags.type?.toLowerCase();
  if (type !== undefined && !(OTP_TYPES as readonly string[]).includes(type)) throw invalidInput(`--type must be totp, hotp or steam, not "${printable(type.slice(0, 20))}".`, "type");
  const algorithm = flags.algorithm?.toUpperCase().replace("-", "");
  if (algorithm !== undefined && !(ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw invalidInput(`--algorithm must be SHA1, SHA256 or SHA512, not "${printable(flags.algorithm?.slice(0, 20) ?? "")}".`, "algorithm");
  }
  const settings = {
    type: type as EntrySeedInput["type"],
    algorithm: algorithm as EntrySeedInput["algorithm"],
    digits: wholeNumber(flags.digits, "--digits"),
    period: wholeNumber(flags.period, "--period"),
    counter: wholeNumber(flags.counter, "--counter"),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

/** A value given as "-" is read from standard input (or asked for without echo on a terminal), keeping it out of shell history. */
async function valueOrStdin(value: string, io: ClientIo, prompt: string, flag: string): Promise<string> {
  if (value !== "-") return value;
  const read = io.terminal.isInteractive ? await io.terminal.readHidden(prompt) : await io.readStdin();
  const trimmed = read.trim();
  if (trimmed === "") throw invalidInput(`${flag} - found nothing on standard input.`, flag.slice(2));
  return trimmed;
}

/** The created entry, and the image's other QR codes that could not be read (as lines for stderr). */
async function addFromQrImage(client: WatchwordClient, name: string, file: string, folderId: string | undefined): Promise<{ reply: EntryReply; skipped: string[] }> {
  const image = await readInputFile(file);
  const preview = await client.createImport({ data: image.toString("base64"), format: "image", fileName: path.basename(file) });
  const [first, ...others] = preview.entries;
  if (first === undefined || others.length > 0) {
    // Nothing is kept: the server drops an unconfirmed import when it expires anyway.
    await client.discardImport(preview.importId);
    if (first === undefined) {
      const reason = preview.problems[0]?.message;
      throw invalidInput(`${file} holds no QR code with a one-time password${reason === undefined ? "" : `: ${printable(reason)}`}.`, "qr");
    }
    throw invalidInput(`${file} holds ${preview.entries.length} accounts: import them all with \`watchword import ${file}\`.`, "qr");
  }
  const confirmed = await client.confirmImport(preview.importId, {
    include: [first.index],
    names: { [String(first.index)]: name },
    ...(folderId === undefined ? {} : { folderId }),
  });
  const created = confirmed.created[0];
  if (created === undefined) throw unavailable("The server created no entry from the QR code.");
  const entry = await client.getEntry(created.id);
  return { reply: { entry, warnings: first.warnings }, skipped: preview.problems.map((p) => `${p.label}: ${p.message}`) };
}

async function addEntry(name: string, flags: AddFlags, io: ClientIo): Promise<void> {
  const sources = [flags.secret, flags.uri, flags.qr].filter((source) => source !== undefined);
  if (sources.length !== 1) throw invalidInput("Give exactly one of --secret, --uri or --qr.", "seed");
  const settings = seedSettings(flags);
  if (flags.secret === undefined && Object.keys(settings).length > 0) {
    throw invalidInput("--type, --algorithm, --digits, --period and --counter go with --secret: a link or QR code carries its own.", "seed");
  }
  if (flags.qr !== undefined && (flags.issuer !== undefined || flags.account !== undefined)) {
    throw invalidInput("--issuer and --account cannot be combined with --qr: the QR code carries them.", "qr");
  }
  const { client } = await connect(flags, io.env);
  const folderId = await folderIdOf(client, flags.folder);
  let reply: EntryReply;
  let skipped: string[] = [];
  if (flags.qr !== undefined) {
    ({ reply, skipped } = await addFromQrImage(client, name, flags.qr, folderId));
  } else {
    const seed: EntrySeedInput =
      flags.secret !== undefined
        ? { secret: await valueOrStdin(flags.secret, io, "Setup key: ", "--secret"), ...settings }
        : { uri: await valueOrStdin(flags.uri ?? "", io, "otpauth:// link: ", "--uri") };
    reply = await client.createEntry({
      name,
      seed,
      ...(folderId === undefined ? {} : { folderId }),
      ...(flags.issuer === undefined ? {} : { issuer: flags.issuer }),
      ...(flags.account === undefined ? {} : { account: flags.account }),
    });
  }
  if (flags.json === true) io.stdout(toJson(reply));
  else io.stdout(`Added entry ${printable(reply.entry.name)} (${reply.entry.id}).`);
  for (const warning of [...reply.warnings.map((notice) => notice.detail), ...skipped]) io.stderr(`Warning: ${printable(warning)}`);
}

export function registerEntryAddCommand(program: Command, io: ClientIo): void {
  const entry = program.command("entry").description("manage one entry");
  addClientOptions(
    entry
      .command("add <name>")
      .description("add an entry from a setup key (--secret), an otpauth:// link (--uri) or a QR code image (--qr)")
      .option("--secret <base32>", 'the setup key; "-" reads it from standard input (or asks for it), keeping it out of shell history')
      .option("--uri <link>", 'an otpauth:// link; "-" reads it from standard input')
      .option("--qr <image>", "a PNG or JPEG with the QR code (one account; for several, use `watchword import`)")
      .option("--folder <folder>", "put it in this folder (a name or an id)")
      .option("--issuer <issuer>", "the service, e.g. ACME (with --secret or --uri)")
      .option("--account <account>", "the account at the service, e.g. ops@example.com (with --secret or --uri)")
      .option("--type <type>", "totp (default), hotp or steam (with --secret)")
      .option("--algorithm <algorithm>", "SHA1 (default), SHA256 or SHA512 (with --secret)")
      .option("--digits <n>", "code length, default 6 (with --secret)")
      .option("--period <seconds>", "seconds per code, default 30 (with --secret)")
      .option("--counter <n>", "the HOTP counter to start from, default 0 (with --secret)"),
  )
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        '  $ watchword entry add "AWS root" --secret - --issuer AWS --account root@example.com   (then paste the key)',
        '  $ pass show aws/totp | watchword entry add "AWS root" --secret -',
        '  $ watchword entry add "Registrar" --qr ~/Downloads/registrar-2fa.png --folder Ops',
      ].join("\n"),
    )
    .action((name: string, flags: AddFlags) => addEntry(name, flags, io));
}
