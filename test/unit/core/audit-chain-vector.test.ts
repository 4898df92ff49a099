// The canonical form of an audit event and its keyed link, fixed as a test vector: a change of
// field order, of JSON escaping, of the key's derivation or of the MAC breaks every chain already
// written, so it must fail here first. The values were computed once and checked independently
// (`openssl dgst -sha256 -mac HMAC -macopt hexkey:<key>` over the line, `sha256sum` for the plain link).
import { describe, expect, it } from "vitest";
import { canonicalAuditEvent, findBrokenLink, judgeEvent, legacyLink, type ChainedAuditEvent } from "../../../src/core/audit-chain.js";
import { Secret } from "../../../src/core/secret.js";
import { deriveAuditKey } from "../../../src/crypto/audit-key.js";

/** The KEK 00 01 02 … 1f. */
const KEK = Uint8Array.from({ length: 32 }, (_, i) => i);
const PREVIOUS = "9f".repeat(32);

/** Quotes, non-ASCII letters, a tab, a null and JSON inside a string: what escaping could change. */
const EVENT: ChainedAuditEvent = {
  seq: 42,
  id: "3f1b6a52-1c7d-4a6e-9c0b-000000000042",
  at: 1796135400123,
  actorType: "user",
  actorId: "0b7e4c1a-7d0f-4e55-9a37-0c2d9f1e8b64",
  actorName: 'Zoë "ops" Ångström',
  action: "code.issued",
  outcome: "success",
  entryId: "9c41e2d8-5b3a-4f6e-8d17-2a6b0c9e4f31",
  entryName: "AWS root / prod ✓",
  reason: null,
  ip: "2001:db8::24",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64)\tFirefox/133.0",
  channel: "web",
  details: '{"type":"totp","validFrom":1795420800,"via":"role"}',
  prevHash: PREVIOUS,
};

const LINE =
  '[42,"3f1b6a52-1c7d-4a6e-9c0b-000000000042",1796135400123,"user","0b7e4c1a-7d0f-4e55-9a37-0c2d9f1e8b64","Zoë \\"ops\\" Ångström",' +
  '"code.issued","success","9c41e2d8-5b3a-4f6e-8d17-2a6b0c9e4f31","AWS root / prod ✓",null,"2001:db8::24",' +
  '"Mozilla/5.0 (X11; Linux x86_64)\\tFirefox/133.0","web","{\\"type\\":\\"totp\\",\\"validFrom\\":1795420800,\\"via\\":\\"role\\"}",' +
  '"9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f9f"]';
const KEY_ID = "fa858df843b3dc4e";
const KEYED_LINK = "0daf91bcc44ad436ba6daddd31ef6db6e83aaabf42c7486b6fa263d9039be05d";
const PLAIN_LINK = "3e772810880997b66e0aa3c917357cdff2555947584e210718e3d5d94f8b1a69";

describe("the audit chain's test vector", () => {
  it("fixes the canonical line, byte for byte", () => {
    expect(canonicalAuditEvent(EVENT)).toBe(LINE);
    expect(Buffer.byteLength(LINE, "utf8")).toBe(420);
  });

  it("fixes the audit key's fingerprint and the keyed link under the key derived from the KEK", () => {
    const auditKey = deriveAuditKey(Secret.fromBytes(KEK));
    expect(auditKey.keyId).toBe(KEY_ID);
    expect(auditKey.link(LINE)).toBe(KEYED_LINK);
    expect(auditKey.link(Buffer.from(LINE, "utf8"))).toBe(KEYED_LINK);
    expect(judgeEvent({ ...EVENT, hash: KEYED_LINK }, PREVIOUS, auditKey.link, true)).toBe("intact");
    auditKey.destroy();
  });

  it("fixes the plain SHA-256 link of events written before keyed chains", () => {
    expect(legacyLink(LINE)).toBe(PLAIN_LINK);
  });

  it("checks a page holding the vector the same way, fast path included", () => {
    const auditKey = deriveAuditKey(Secret.fromBytes(KEK));
    const page = { firstSeq: 42, lastSeq: 42, count: 1, lines: LINE, links: KEYED_LINK };
    expect(findBrokenLink(page, PREVIOUS, auditKey.link)).toBe(-1);
    expect(findBrokenLink({ ...page, links: PLAIN_LINK }, PREVIOUS, auditKey.link)).toBe(0);
    expect(findBrokenLink(page, "0".repeat(64), auditKey.link)).toBe(0);
    // Any one field changed changes the link.
    for (const field of Object.keys(EVENT) as (keyof ChainedAuditEvent)[]) {
      const changed = { ...EVENT, [field]: typeof EVENT[field] === "number" ? (EVENT[field] as number) + 1 : `${String(EVENT[field])}x` };
      expect(auditKey.link(canonicalAuditEvent(changed)), field).not.toBe(KEYED_LINK);
    }
    auditKey.destroy();
  });
});
