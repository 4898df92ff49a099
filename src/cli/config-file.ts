// The CLI config file ({ url, token, deviceTokens }): read only when private (mode 0600, like ssh's keys), written
// atomically (temporary file + rename) so a crash never leaves half a token, never with a wider mode.
import fs from "node:fs/promises";
import path from "node:path";
import { forbidden, invalidInput } from "../core/errors.js";

export interface SavedCredential {
  readonly url?: string | undefined;
  readonly token?: string | undefined;
  /**
   * Per server URL, the device token its sign-ins gave this CLI: sent with later sign-ins there
   * (and only there), so others' failed sign-ins cannot lock this CLI out. Kept across logouts.
   */
  readonly deviceTokens?: Readonly<Record<string, string>> | undefined;
}

const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;
const isPosix = process.platform !== "win32";

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === "ENOENT";

const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, "0")}`;

/** The saved credential, or undefined when there is no config file. */
export async function readConfigFile(file: string): Promise<SavedCredential | undefined> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  if (!stat.isFile()) throw invalidInput(`The config file ${file} is not a file.`, "config");
  if (isPosix && (stat.mode & 0o077) !== 0) {
    throw forbidden(`Permissions ${octal(stat.mode)} for ${file} are too open: it holds a token. Run \`chmod 600 ${file}\`.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, "utf8"));
  } catch {
    throw invalidInput(`The config file ${file} is not valid JSON: fix it, or delete it and run \`watchword login\` again.`, "config");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidInput(`The config file ${file} must hold a JSON object like {"url": "https://…", "token": "ww_…"}.`, "config");
  }
  const { url, token, deviceTokens } = parsed as Record<string, unknown>;
  if ((url !== undefined && typeof url !== "string") || (token !== undefined && typeof token !== "string")) {
    throw invalidInput(`In the config file ${file}, "url" and "token" must be strings.`, "config");
  }
  const isStringMap = (value: unknown): value is Record<string, string> =>
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
  if (deviceTokens !== undefined && !isStringMap(deviceTokens)) {
    throw invalidInput(`In the config file ${file}, "deviceTokens" must map server addresses to strings.`, "config");
  }
  return { url, token, ...(deviceTokens === undefined ? {} : { deviceTokens }) };
}

/** Writes the credential with mode 0600 (or the existing file's mode, if narrower) via a temporary file and a rename. */
export async function writeConfigFile(file: string, credential: SavedCredential): Promise<void> {
  // Write beside the real file when the config path is a symbolic link (dotfile managers use them).
  const target = await fs.realpath(file).catch((error: unknown) => {
    if (isMissing(error)) return file;
    throw error;
  });
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const existingMode = await fs.stat(target).then(
    (stat) => stat.mode & 0o777,
    (error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    },
  );
  const mode = existingMode === undefined ? PRIVATE_FILE_MODE : existingMode & PRIVATE_FILE_MODE;
  // node:crypto loads here, not at start: most runs only read the file.
  const { randomBytes } = await import("node:crypto");
  const temporary = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(temporary, "wx", PRIVATE_FILE_MODE);
  try {
    const body: Record<string, unknown> = {};
    if (credential.url !== undefined) body.url = credential.url;
    if (credential.token !== undefined) body.token = credential.token;
    if (credential.deviceTokens !== undefined && Object.keys(credential.deviceTokens).length > 0) body.deviceTokens = credential.deviceTokens;
    await handle.writeFile(`${JSON.stringify(body, null, 2)}\n`, "utf8");
    // The creation mode went through the umask; set it exactly.
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    await fs.rename(temporary, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
