// The SIEM stream's wire forms: RFC 5424 messages (escaping, severity, the UDP size bound) and
// RFC 6587 octet-counting frames, read back by the tests' own parser.
import { describe, expect, it } from "vitest";
import { octetCountedFrame, siemEventRecord, syslogHostname, syslogMessage, webhookBody } from "../../../src/core/siem-records.js";
import { parseSyslogMessage } from "../../support/siem-receivers.js";

const event = (overrides: Partial<Parameters<typeof siemEventRecord>[0]> = {}) =>
  siemEventRecord({
    seq: 42,
    id: "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e",
    at: Date.UTC(2026, 11, 1, 9, 30, 2, 118),
    actorType: "user",
    actorId: "u1",
    actorName: "ada",
    action: "code.issued",
    outcome: "success",
    entryId: "e1",
    entryName: 'AWS "root" ]\\',
    reason: null,
    ip: "192.0.2.1",
    userAgent: "curl/8",
    channel: "api",
    details: "{}",
    prevHash: "a".repeat(64),
    hash: "b".repeat(64),
    ...overrides,
  });

describe("SIEM records", () => {
  it("writes an RFC 5424 message with facility log audit, the id and seq in structured data and the record as JSON", () => {
    const message = syslogMessage(event(), "vault-1");
    const parsed = parseSyslogMessage(message);
    expect(parsed).toMatchObject({ pri: 13 * 8 + 6, timestamp: "2026-12-01T09:30:02.118Z", hostname: "vault-1", app: "watchword", msgId: "audit" });
    expect(parsed.sd).toEqual({ id: "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e", seq: "42", type: "audit_event", action: "code.issued", outcome: "success" });
    expect(JSON.parse(parsed.msg)).toMatchObject({ seq: 42, entry: { name: 'AWS "root" ]\\' }, link: "b".repeat(64) });
    expect(parseSyslogMessage(syslogMessage(event({ outcome: "denied" }), "h")).pri).toBe(13 * 8 + 4);
  });

  it("escapes '\"', '\\\\' and ']' in parameter values (RFC 5424 §6.3.3)", () => {
    const message = syslogMessage(event({ action: 'a"b]c\\d' }), "h");
    expect(message).toContain('action="a\\"b\\]c\\\\d"');
    expect(parseSyslogMessage(message).sd.action).toBe('a"b]c\\d');
  });

  it("cuts a long message to the UDP bound, never inside a character, keeping id and seq", () => {
    const long = event({ reason: "é".repeat(3000) });
    const message = syslogMessage(long, "h", 1180);
    expect(Buffer.byteLength(message, "utf8")).toBeLessThanOrEqual(1180);
    expect(message).not.toContain("\uFFFD");
    expect(parseSyslogMessage(message).sd).toMatchObject({ id: long.id, seq: "42", truncated: "true" });
    expect(syslogMessage(event(), "h", 1180)).not.toContain("truncated");
  });

  it("frames messages by their length in octets (RFC 6587 §3.4.1)", () => {
    const frame = octetCountedFrame("<110>1 é");
    expect(frame.toString("utf8")).toBe("9 <110>1 é");
  });

  it("puts the nil value for a host name RFC 5424 does not allow", () => {
    expect(syslogHostname("vault 1")).toBe("-");
    expect(syslogHostname("")).toBe("-");
    expect(syslogHostname("vault-1.example.com")).toBe("vault-1.example.com");
  });

  it("sends a webhook one object with the batch's records", () => {
    expect(JSON.parse(webhookBody([event()]))).toMatchObject({ source: "watchword", records: [{ type: "audit_event", seq: 42 }] });
  });
});
