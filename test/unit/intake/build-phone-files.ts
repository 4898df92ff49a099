// Writers for phone-app files in shapes Aegis's fixtures lack: Android preference files (Authy,
// FreeOTP, Battle.net), Authy's sealed seeds, and FreeOTP 2 backups (a Java-serialized HashMap,
// written here byte for byte as ObjectOutputStream does) with chosen KDF parameters. They follow
// the layouts the importers read (see each importer's header).
import { createCipheriv, pbkdf2Sync, randomBytes } from "node:crypto";

const escapeXml = (text: string): string => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** An Android SharedPreferences file of string preferences. */
export function preferencesXml(strings: readonly [string, string][], extra = ""): Buffer {
  const lines = strings.map(([name, value]) => `    <string name="${escapeXml(name)}">${escapeXml(value)}</string>`);
  return Buffer.from(`<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n${lines.join("\n")}\n${extra}</map>\n`);
}

/** Authy's authenticator token file holding `tokens`. */
export function authyXml(tokens: readonly Record<string, unknown>[]): Buffer {
  return preferencesXml([["com.authy.storage.tokens.authenticator.key", JSON.stringify(tokens)]]);
}

/** An Authy encryptedSecret: AES-256-CBC, zero IV, key PBKDF2-HMAC-SHA1(password, salt text, 1000). */
export function sealAuthySecret(base32: string, password: string, salt: string): string {
  const key = pbkdf2Sync(password, Buffer.from(salt, "utf8"), 1000, 32, "sha1");
  const cipher = createCipheriv("aes-256-cbc", key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(base32, "latin1"), cipher.final()]).toString("base64");
}

/** Java's modified UTF-8: UTF-16 units, NUL as C0 80, supplementary characters as two 3-byte surrogates. */
function modifiedUtf8(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit !== 0 && unit < 0x80) bytes.push(unit);
    else if (unit < 0x800) bytes.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
    else bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
  }
  return Buffer.from(bytes);
}

const u16 = (value: number): Buffer => Buffer.from([value >> 8, value & 0xff]);
const u32 = (value: number): Buffer => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
};

export type JavaValue = string | { readonly reference: number } | null;

export interface JavaMapOptions {
  /** The size written in the block (default: the number of pairs). */
  readonly size?: number;
  readonly className?: string;
}

/** A HashMap<String, String> as ObjectOutputStream writes it (Java Object Serialization Specification §6.4). */
export function javaStringMap(pairs: readonly [JavaValue, JavaValue][], options: JavaMapOptions = {}): Buffer {
  const className = modifiedUtf8(options.className ?? "java.util.HashMap");
  const parts: Buffer[] = [
    Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72]),
    u16(className.length),
    className,
    Buffer.from("0507dac1c31660d1", "hex"), // serialVersionUID
    Buffer.from([0x03]), // SC_WRITE_METHOD | SC_SERIALIZABLE
    u16(2),
    Buffer.from("F"), u16(10), Buffer.from("loadFactor"),
    Buffer.from("I"), u16(9), Buffer.from("threshold"),
    Buffer.from([0x78, 0x70]), // end of annotation, no superclass
    Buffer.from("3f400000", "hex"), u32(12), // loadFactor 0.75, threshold
    Buffer.from([0x77, 0x08]), u32(16), u32(options.size ?? pairs.length),
  ];
  const value = (item: JavaValue): Buffer => {
    if (item === null) return Buffer.from([0x70]);
    if (typeof item !== "string") return Buffer.concat([Buffer.from([0x71]), u32(0x7e0000 + item.reference)]);
    const encoded = modifiedUtf8(item);
    return encoded.length < 0x10000 ? Buffer.concat([Buffer.from([0x74]), u16(encoded.length), encoded]) : Buffer.concat([Buffer.from([0x7c]), u32(0), u32(encoded.length), encoded]);
  };
  for (const [key, item] of pairs) parts.push(value(key), value(item));
  parts.push(Buffer.from([0x78]));
  return Buffer.concat(parts);
}

const signed = (bytes: Uint8Array): number[] => [...bytes].map((byte) => (byte > 127 ? byte - 256 : byte));

/** AES-256-GCM as FreeOTP's EncryptedKey records it: DER GCM parameters, the token as associated data. */
function sealForFreeOtp(key: Buffer, plaintext: Buffer, token: string): Record<string, unknown> {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(token, "utf8"));
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const parameters = Buffer.concat([Buffer.from([0x30, 17, 0x04, 12]), nonce, Buffer.from([0x02, 0x01, 16])]);
  return { mCipher: "AES/GCM/NoPadding", mCipherText: signed(sealed), mParameters: signed(parameters), mToken: token };
}

export interface FreeOtpBackupToken {
  readonly uuid: string;
  readonly secret: Buffer;
  readonly token: Record<string, unknown>;
}

/** A FreeOTP 2 backup of `tokens` under `password`. */
export function freeOtpBackup(tokens: readonly FreeOtpBackupToken[], password: string, iterations = 1000, digest: "sha1" | "sha512" = "sha512"): Buffer {
  const salt = randomBytes(32);
  const masterKey = randomBytes(32);
  const passwordKey = iterations <= 1_000_000 ? pbkdf2Sync(password, salt, iterations, 32, digest) : randomBytes(32);
  const master = {
    mAlgorithm: digest === "sha1" ? "PBKDF2withHmacSHA1" : "PBKDF2withHmacSHA512",
    mEncryptedKey: sealForFreeOtp(passwordKey, masterKey, "AES"),
    mIterations: iterations,
    mSalt: signed(salt),
  };
  const pairs: [string, string][] = [["masterKey", JSON.stringify(master)]];
  for (const { uuid, secret, token } of tokens) {
    pairs.push([uuid, JSON.stringify({ key: JSON.stringify(sealForFreeOtp(masterKey, secret, "HmacSHA1")) })]);
    pairs.push([`${uuid}-token`, JSON.stringify(token)]);
  }
  return javaStringMap(pairs);
}
