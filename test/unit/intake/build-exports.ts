// Writers for export files the tests need in shapes no fixture has: encrypted Aegis vaults and
// andOTP backups with chosen KDF parameters, Google Authenticator payloads, large Aegis vaults.
// They follow the same published layouts the importers read (see each importer's header).
import { createCipheriv, pbkdf2Sync, randomBytes, scryptSync } from "node:crypto";
import { encodeBase32 } from "../../../src/core/otp/base32.js";

export interface AegisEntryInput {
  readonly type?: string;
  readonly name?: string;
  readonly issuer?: string;
  readonly secret: string;
  readonly algo?: string;
  readonly digits?: number;
  readonly period?: number;
  readonly counter?: number;
  readonly extra?: Record<string, unknown>;
}

export function aegisDb(entries: readonly AegisEntryInput[], groups: readonly { uuid: string; name: string }[] = []): Record<string, unknown> {
  return {
    version: 3,
    entries: entries.map((entry, i) => ({
      type: entry.type ?? "totp",
      uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      name: entry.name ?? `user${i}@example.com`,
      issuer: entry.issuer ?? `Service ${i}`,
      info: { secret: entry.secret, algo: entry.algo ?? "SHA1", digits: entry.digits ?? 6, period: entry.period ?? 30, counter: entry.counter ?? 0 },
      ...entry.extra,
    })),
    groups,
  };
}

export function plainAegis(db: Record<string, unknown>): Uint8Array {
  return Buffer.from(JSON.stringify({ version: 1, header: { slots: null, params: null }, db }));
}

/** A vault of `count` entries with random 20-byte seeds. */
export function largeAegis(count: number): Uint8Array {
  const entries = Array.from({ length: count }, (_, i) => ({ secret: encodeBase32(randomBytes(20)), issuer: `Service ${i}` }));
  return plainAegis(aegisDb(entries));
}

function seal(key: Uint8Array, plain: Uint8Array): { nonce: Buffer; sealed: Buffer; tag: Buffer } {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { nonce, sealed, tag: cipher.getAuthTag() };
}

export interface SlotInput {
  readonly password: Uint8Array;
  readonly n?: number;
  readonly r?: number;
  readonly p?: number;
  readonly type?: number;
  readonly repaired?: boolean;
}

/** An encrypted vault (Aegis docs/vault.md): scrypt password slots wrapping one master key. */
export function encryptedAegis(db: Record<string, unknown>, slots: readonly SlotInput[]): Uint8Array {
  const masterKey = randomBytes(32);
  const content = seal(masterKey, Buffer.from(JSON.stringify(db)));
  const header = {
    slots: slots.map((slot) => {
      const salt = randomBytes(32);
      const n = slot.n ?? 2 ** 10;
      const r = slot.r ?? 8;
      const p = slot.p ?? 1;
      // Parameters that are invalid or costly get a dummy key: the importer must refuse them first.
      const slotKey = n * r * p <= 2 ** 17 && (n & (n - 1)) === 0 ? scryptSync(slot.password, salt, 32, { N: n, r, p, maxmem: 256 * 1024 * 1024 }) : randomBytes(32);
      const wrapped = seal(slotKey, masterKey);
      return {
        type: slot.type ?? 1,
        uuid: "a8325752-c1be-458a-9b3e-5e0a8154d9ec",
        key: wrapped.sealed.toString("hex"),
        key_params: { nonce: wrapped.nonce.toString("hex"), tag: wrapped.tag.toString("hex") },
        n,
        r,
        p,
        salt: salt.toString("hex"),
        repaired: slot.repaired ?? true,
      };
    }),
    params: { nonce: content.nonce.toString("hex"), tag: content.tag.toString("hex") },
  };
  return Buffer.from(JSON.stringify({ version: 1, header, db: content.sealed.toString("base64") }));
}

/** An encrypted andOTP backup: iterations (BE) + salt + nonce + ciphertext + tag. */
export function encryptedAndOtp(entries: readonly unknown[], password: string, iterations: number, derive = true): Uint8Array {
  const salt = randomBytes(12);
  const key = derive ? pbkdf2Sync(password, salt, iterations, 32, "sha1") : randomBytes(32);
  const { nonce, sealed, tag } = seal(key, Buffer.from(JSON.stringify(entries)));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(iterations);
  return Buffer.concat([head, salt, nonce, sealed, tag]);
}

/** Protobuf encoding, just enough for MigrationPayload. */
function varint(value: bigint): Buffer {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, value);
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return Buffer.from(bytes);
}
const tag = (field: number, wire: number): Buffer => varint(BigInt((field << 3) | wire));
const bytesField = (field: number, value: Uint8Array): Buffer => Buffer.concat([tag(field, 2), varint(BigInt(value.length)), value]);
const varintField = (field: number, value: bigint | number): Buffer => Buffer.concat([tag(field, 0), varint(BigInt(value))]);

export interface MigrationAccount {
  readonly secret: Uint8Array;
  readonly name?: string;
  readonly issuer?: string;
  readonly algorithm?: number;
  readonly digits?: number;
  readonly type?: number;
  readonly counter?: bigint | number;
}

export function migrationUri(accounts: readonly MigrationAccount[], batch = { size: 1, index: 0, id: -123456 }): string {
  const payload = Buffer.concat([
    ...accounts.map((account) =>
      bytesField(
        1,
        Buffer.concat([
          bytesField(1, account.secret),
          ...(account.name === undefined ? [] : [bytesField(2, Buffer.from(account.name))]),
          ...(account.issuer === undefined ? [] : [bytesField(3, Buffer.from(account.issuer))]),
          varintField(4, account.algorithm ?? 1),
          varintField(5, account.digits ?? 1),
          varintField(6, account.type ?? 2),
          ...(account.counter === undefined ? [] : [varintField(7, account.counter)]),
        ]),
      ),
    ),
    varintField(2, 1),
    varintField(3, batch.size),
    varintField(4, batch.index),
    varintField(5, batch.id),
  ]);
  return `otpauth-migration://offline?data=${encodeURIComponent(payload.toString("base64"))}`;
}
