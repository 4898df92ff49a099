import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { Secret } from "../../../src/core/secret.js";
import {
  HEADER_BYTES,
  NONCE_BYTES,
  TAG_BYTES,
  openField,
  readSealedKeyVersion,
  sealField,
} from "../../../src/crypto/envelope.js";
import type { FieldBinding } from "../../../src/crypto/envelope.js";

const newKey = (): Secret => Secret.fromBytes(randomBytes(32));
const binding: FieldBinding = { recordId: "entry-0b7f", field: "seed" };
const PLANTED = "PLANTED-SEED-JBSWY3DPEHPK3PXP";

/** Runs `action`, asserts it throws a WatchwordError, and returns it for further checks. */
function catchWatchwordError(action: () => unknown): WatchwordError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(WatchwordError);
    return error as WatchwordError;
  }
  throw new Error("expected a WatchwordError, but nothing was thrown");
}

describe("sealField and openField", () => {
  it("round-trips a value", () => {
    const key = newKey();
    const sealed = sealField(key, 1, Secret.fromUtf8(PLANTED), binding);
    expect(openField(key, 1, sealed, binding).revealUtf8()).toBe(PLANTED);
  });

  it("round-trips an empty value", () => {
    const key = newKey();
    const sealed = sealField(key, 1, Secret.fromBytes(new Uint8Array()), binding);
    expect(openField(key, 1, sealed, binding).length).toBe(0);
  });

  it("writes a self-describing header: format 1, algorithm 1, the key version, then nonce, ciphertext and tag", () => {
    const plaintext = Secret.fromUtf8(PLANTED);
    const sealed = sealField(newKey(), 0x01020304, plaintext, binding);
    expect([...sealed.subarray(0, HEADER_BYTES)]).toEqual([1, 1, 1, 2, 3, 4]);
    expect(sealed.length).toBe(HEADER_BYTES + NONCE_BYTES + plaintext.length + TAG_BYTES);
    expect(readSealedKeyVersion(sealed)).toBe(0x01020304);
  });

  it("gives different ciphertexts (and nonces) when the same value is sealed twice", () => {
    const key = newKey();
    const first = sealField(key, 1, Secret.fromUtf8(PLANTED), binding);
    const second = sealField(key, 1, Secret.fromUtf8(PLANTED), binding);
    expect(first.equals(second)).toBe(false);
    const nonceOf = (sealed: Buffer) => sealed.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
    expect(nonceOf(first).equals(nonceOf(second))).toBe(false);
  });

  it("rejects the value when any single bit of it is flipped", () => {
    const key = newKey();
    const sealed = sealField(key, 7, Secret.fromUtf8(PLANTED), binding);
    for (let index = 0; index < sealed.length; index += 1) {
      const tampered = Buffer.from(sealed);
      tampered[index] = tampered[index]! ^ (1 << index % 8);
      expect(() => openField(key, 7, tampered, binding), `bit ${index % 8} of byte ${index}`).toThrow(WatchwordError);
    }
  });

  it("rejects a value moved to another record", () => {
    const key = newKey();
    const sealed = sealField(key, 1, Secret.fromUtf8(PLANTED), binding);
    expect(() => openField(key, 1, sealed, { ...binding, recordId: "entry-other" })).toThrow(WatchwordError);
  });

  it("rejects a value moved to another field of the same record", () => {
    const key = newKey();
    const sealed = sealField(key, 1, Secret.fromUtf8(PLANTED), binding);
    expect(() => openField(key, 1, sealed, { ...binding, field: "password" })).toThrow(WatchwordError);
  });

  it("keeps record id and field apart, so shifting characters between them fails", () => {
    const key = newKey();
    const sealed = sealField(key, 1, Secret.fromUtf8(PLANTED), { recordId: "ab", field: "c" });
    expect(() => openField(key, 1, sealed, { recordId: "a", field: "bc" })).toThrow(WatchwordError);
  });

  it("rejects a value whose key version was rewritten, even when opened with that version", () => {
    const key = newKey();
    const sealed = sealField(key, 1, Secret.fromUtf8(PLANTED), binding);
    const relabelled = Buffer.from(sealed);
    relabelled.writeUInt32BE(2, 2);
    expect(readSealedKeyVersion(relabelled)).toBe(2);
    expect(() => openField(key, 2, relabelled, binding)).toThrow(/failed authentication/);
  });

  it("rejects opening with a key of another version than the header names", () => {
    const key = newKey();
    const sealed = sealField(key, 1, Secret.fromUtf8(PLANTED), binding);
    expect(catchWatchwordError(() => openField(key, 2, sealed, binding)).message).toMatch(/key version 1/);
  });

  it("rejects a different data key", () => {
    const sealed = sealField(newKey(), 1, Secret.fromUtf8(PLANTED), binding);
    expect(() => openField(newKey(), 1, sealed, binding)).toThrow(/failed authentication/);
  });

  it("rejects truncated input of every length with a WatchwordError", () => {
    const key = newKey();
    const sealed = sealField(key, 1, Secret.fromUtf8(PLANTED), binding);
    for (let length = 0; length < sealed.length; length += 1) {
      catchWatchwordError(() => openField(key, 1, sealed.subarray(0, length), binding));
    }
    expect(catchWatchwordError(() => readSealedKeyVersion(sealed.subarray(0, 10))).message).toMatch(/truncated/);
  });

  it("rejects an unknown format version or algorithm and names it", () => {
    const key = newKey();
    const sealed = sealField(key, 1, Secret.fromUtf8(PLANTED), binding);
    const futureFormat = Buffer.from(sealed);
    futureFormat[0] = 2;
    expect(catchWatchwordError(() => openField(key, 1, futureFormat, binding)).message).toMatch(/format version 2/);
    const otherAlgorithm = Buffer.from(sealed);
    otherAlgorithm[1] = 9;
    expect(catchWatchwordError(() => readSealedKeyVersion(otherAlgorithm)).message).toMatch(/algorithm 9/);
  });

  it("refuses a key that is not 32 bytes without naming its bytes", () => {
    const shortKey = Secret.fromBytes(randomBytes(16));
    const error = catchWatchwordError(() => sealField(shortKey, 1, Secret.fromUtf8(PLANTED), binding));
    expect(error.message).toMatch(/32 bytes/);
    expect(error.message).not.toContain(shortKey.reveal().toString("hex"));
  });

  it("never shows the planted plaintext or the key in sealed output, errors or their inspection", () => {
    const key = newKey();
    const plaintext = Secret.fromUtf8(PLANTED);
    const sealed = sealField(key, 1, plaintext, binding);
    expect(sealed.includes(plaintext.reveal())).toBe(false);
    expect(sealed.includes(key.reveal())).toBe(false);

    const flipped = Buffer.from(sealed);
    flipped[HEADER_BYTES + NONCE_BYTES] = flipped[HEADER_BYTES + NONCE_BYTES]! ^ 1;
    const errors = [
      catchWatchwordError(() => openField(key, 1, flipped, binding)),
      catchWatchwordError(() => openField(key, 1, sealed, { ...binding, field: "other" })),
      catchWatchwordError(() => openField(newKey(), 1, sealed, binding)),
      catchWatchwordError(() => openField(key, 3, sealed, binding)),
      catchWatchwordError(() => openField(key, 1, sealed.subarray(0, 20), binding)),
    ];
    const forbidden = [PLANTED, key.reveal().toString("hex"), key.reveal().toString("base64"), key.reveal().toString("latin1")];
    for (const error of errors) {
      const shown = [error.message, String(error), inspect(error), JSON.stringify(error)].join("\n");
      for (const secret of forbidden) expect(shown).not.toContain(secret);
      expect(error.cause).toBeUndefined();
    }
  });

  it("round-trips arbitrary bytes under arbitrary bindings and versions (property)", () => {
    const key = newKey();
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.string({ unit: "binary", minLength: 1 }),
        fc.string({ unit: "binary", minLength: 1 }),
        fc.integer({ min: 1, max: 0xffff_ffff }),
        (bytes, recordId, field, version) => {
          const where = { recordId, field };
          const sealed = sealField(key, version, Secret.fromBytes(bytes), where);
          expect(readSealedKeyVersion(sealed)).toBe(version);
          expect(openField(key, version, sealed, where).reveal().equals(Buffer.from(bytes))).toBe(true);
        },
      ),
    );
  });

  it("fails to open under any other binding (property)", () => {
    const key = newKey();
    const bindingArbitrary = fc.record({
      recordId: fc.string({ unit: "binary", minLength: 1, maxLength: 8 }),
      field: fc.string({ unit: "binary", minLength: 1, maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), bindingArbitrary, bindingArbitrary, (bytes, sealedAt, openedAt) => {
        fc.pre(sealedAt.recordId !== openedAt.recordId || sealedAt.field !== openedAt.field);
        const sealed = sealField(key, 1, Secret.fromBytes(bytes), sealedAt);
        expect(() => openField(key, 1, sealed, openedAt)).toThrow(WatchwordError);
      }),
    );
  });
});
