// The canonical form's two shapes, as fixed vectors: an event written before migration 0008 (no
// target or folder) keeps its 16 elements, so old chains verify unchanged; one with any of the new
// columns has 20, the new four after details and the previous link still last.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalAuditEvent, findBrokenLink, GENESIS_HASH, legacyLink, type ChainedAuditEvent } from "../../../src/core/audit-chain.js";

const BASE: ChainedAuditEvent = {
  seq: 7,
  id: "0b9c4a52-0d5e-4f43-9a50-3c1c3f0f2a11",
  at: 1_764_547_200_000,
  actorType: "user",
  actorId: "u-1",
  actorName: "ada",
  action: "code.issued",
  outcome: "success",
  entryId: "e-1",
  entryName: "GitHub",
  reason: null,
  ip: "192.0.2.7",
  userAgent: "test/1.0",
  channel: "api",
  details: '{"type":"totp"}',
  prevHash: GENESIS_HASH,
};

const OLD_LINE = `[7,"0b9c4a52-0d5e-4f43-9a50-3c1c3f0f2a11",1764547200000,"user","u-1","ada","code.issued","success","e-1","GitHub",null,"192.0.2.7","test/1.0","api","{\\"type\\":\\"totp\\"}","${GENESIS_HASH}"]`;
const TARGETED_LINE = `[7,"0b9c4a52-0d5e-4f43-9a50-3c1c3f0f2a11",1764547200000,"user","u-1","ada","code.issued","success","e-1","GitHub",null,"192.0.2.7","test/1.0","api","{\\"type\\":\\"totp\\"}","entry","e-1","GitHub","f-9","${GENESIS_HASH}"]`;

describe("the canonical form of an audit event", () => {
  it("keeps the 16-element line for an event with no target or folder (written before migration 0008), absent or null alike", () => {
    expect(canonicalAuditEvent(BASE)).toBe(OLD_LINE);
    expect(canonicalAuditEvent({ ...BASE, targetType: null, targetId: null, targetName: null, folderId: null })).toBe(OLD_LINE);
    expect(JSON.parse(OLD_LINE)).toHaveLength(16);
    // The link every pre-0008 chain holds for this event stays what it was.
    expect(legacyLink(canonicalAuditEvent(BASE))).toBe(createHash("sha256").update(OLD_LINE).digest("hex"));
  });

  it("appends target type, id, name and folder after details, the previous link last, once any of them is set", () => {
    expect(canonicalAuditEvent({ ...BASE, targetType: "entry", targetId: "e-1", targetName: "GitHub", folderId: "f-9" })).toBe(TARGETED_LINE);
    expect(JSON.parse(TARGETED_LINE)).toHaveLength(20);
    // Any single column is enough to choose the longer form, so no two events share a line.
    const lines = new Set([
      canonicalAuditEvent(BASE),
      canonicalAuditEvent({ ...BASE, targetType: "entry" }),
      canonicalAuditEvent({ ...BASE, targetId: "e-1" }),
      canonicalAuditEvent({ ...BASE, targetName: "GitHub" }),
      canonicalAuditEvent({ ...BASE, folderId: "f-9" }),
      canonicalAuditEvent({ ...BASE, targetName: "" }),
    ]);
    expect(lines.size).toBe(6);
    expect(canonicalAuditEvent({ ...BASE, folderId: "f-9" }).endsWith(`,null,null,null,"f-9","${GENESIS_HASH}"]`)).toBe(true);
  });

  it("lets findBrokenLink check both forms in one page, and catch a target column changed", () => {
    const first = { ...BASE, seq: 1 };
    const firstLink = legacyLink(canonicalAuditEvent(first));
    const second = { ...BASE, seq: 2, targetType: "entry", targetId: "e-1", targetName: "GitHub", folderId: "f-9", prevHash: firstLink };
    const secondLink = legacyLink(canonicalAuditEvent(second));
    const page = (lines: string[]) => ({ firstSeq: 1, lastSeq: 2, count: 2, lines: lines.join("\n"), links: firstLink + secondLink });
    expect(findBrokenLink(page([canonicalAuditEvent(first), canonicalAuditEvent(second)]), GENESIS_HASH, legacyLink)).toBe(-1);
    expect(findBrokenLink(page([canonicalAuditEvent(first), canonicalAuditEvent({ ...second, folderId: "f-other" })]), GENESIS_HASH, legacyLink)).toBe(1);
    expect(findBrokenLink(page([canonicalAuditEvent(first), canonicalAuditEvent({ ...second, targetType: null, targetId: null, targetName: null, folderId: null })]), GENESIS_HASH, legacyLink)).toBe(1);
  });
});
