// POST /api/v1/audit/verify on both databases: administrators and auditors get the verdict the CLI
// gives, members and strangers are refused, malformed bodies change nothing; and no seed, password
// or key reaches an audit event or a checkpoint.
import { createHmac, hkdfSync } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { KEY_FILE_NAME } from "../../src/services/vault.js";
import { checkpointFileIn, readAuditCheckpoints } from "../../src/store/audit-checkpoint-file.js";
import { rejection } from "../support/api-rejection.js";
import { databaseKinds, dumpDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";
import { signedInClient } from "../support/test-app.js";

const SEED_B32 = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BAJJ2W24DTEBXXMZLSEB2GQZJANRQXU6JAMRXWOLQ";
const RECOVERY = "plum-quartz-7781-recovery";

describe.each(databaseKinds)("audit verification over HTTP on %s", (kind) => {
  const app = useSignedInAdmin(kind);

  const post = (body: string, token?: string, contentType = "application/json") =>
    fetch(`${app.server.url}/api/v1/audit/verify`, {
      method: "POST",
      headers: { "content-type": contentType, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body,
    });

  it("gives administrators and auditors the verdict, and refuses members and strangers", async () => {
    const { entry } = await app.admin.createEntry({ name: "Verify TOTP", seed: { secret: SEED_B32 }, recoveryCodes: [RECOVERY] });
    for (let i = 0; i < 3; i += 1) await app.admin.getCode(entry.id);
    const verdict = await app.admin.verifyAudit();
    expect(verdict).toMatchObject({ intact: true, brokenAt: null, keyedFrom: 1, finding: { key: "audit_chain_intact" } });
    expect(verdict.eventsChecked).toBeGreaterThanOrEqual(4);
    const auditor = await signedInClient(app.server, "aude", "auditor");
    // The administrator's verification and the auditor's sign-in are two more events.
    expect(await auditor.verifyAudit()).toMatchObject({ intact: true, eventsChecked: verdict.eventsChecked + 2 });
    const [recorded] = await app.server.vault.store.auditEvents.listAuditEvents({ afterSeq: verdict.headSeq, limit: 1 });
    expect(recorded).toMatchObject({ action: "audit.verified", outcome: "success", actorType: "user" });

    const member = await signedInClient(app.server, "mel", "member");
    const refused = await rejection(member.verifyAudit());
    expect([refused.status, refused.key]).toEqual([403, "audit_read_forbidden"]);
    const stranger = await post("{}");
    expect(stranger.status).toBe(401);
  });

  it("names the first modified event over HTTP too", async () => {
    const before = await app.admin.verifyAudit();
    const [first] = await app.server.vault.store.auditEvents.listAuditEvents({ limit: 1 });
    await withRawDatabase(app.db, (raw) => raw.updateTable("audit_events").set({ action: "nothing.happened" }).where("seq", "=", first!.seq).execute());
    try {
      const verdict = await app.admin.verifyAudit();
      expect(verdict).toMatchObject({ intact: false, brokenAt: first!.seq, finding: { key: "audit_chain_event_changed", params: { seq: first!.seq } } });
      expect(verdict.message).toMatch(new RegExp(`^Event ${first!.seq} does not match its link`));
      const [recorded] = await app.server.vault.store.auditEvents.listAuditEvents({ afterSeq: verdict.headSeq, limit: 1 });
      expect(recorded).toMatchObject({ action: "audit.verified", outcome: "failure", reason: "audit_chain_event_changed" });
      expect(JSON.parse(recorded!.details)).toMatchObject({ intact: false, brokenAt: first!.seq });
    } finally {
      await withRawDatabase(app.db, (raw) => raw.updateTable("audit_events").set({ action: first!.action }).where("seq", "=", first!.seq).execute());
    }
    // Two verifications later: two more events, the failed one's included.
    expect(await app.admin.verifyAudit()).toMatchObject({ intact: true, eventsChecked: before.eventsChecked + 2 });
  });

  it("refuses malformed, hostile and oversized bodies with a catalogue key, changing nothing", async () => {
    const count = async () => (await app.server.vault.store.auditEvents.readAuditChainState()).head.seq;
    const cases = [
      { body: '{"from":"/etc/passwd"}', status: 400 },
      { body: "[]", status: 400 },
      { body: '{"a":', status: 400 },
      { body: `{"x":"${"y".repeat(70_000)}"}`, status: 413 },
      { body: "{}", status: 415, contentType: "text/plain" },
    ];
    const { token } = await signedInClient(app.server, "ada", "admin");
    const before = await count();
    for (const { body, status, contentType } of cases) {
      const reply = await post(body, token, contentType);
      expect(reply.status, body.slice(0, 30)).toBe(status);
      expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(((await reply.json()) as { key?: string }).key, body.slice(0, 30)).toMatch(/^[a-z_]+$/);
    }
    expect(await count()).toBe(before);
  });

  it("keeps every seed, password and key out of the audit events and the checkpoints", async () => {
    // Stopping the HTTP side writes the shutdown checkpoint; the vault stays open for the look below.
    await app.server.app.close();
    const checkpoints = await readAuditCheckpoints(checkpointFileIn(app.db.dataDir));
    expect(checkpoints.length).toBeGreaterThan(0);
    const keyText = (await fs.readFile(path.join(app.db.dataDir, KEY_FILE_NAME), "utf8")).trim();
    const kek = Buffer.from(keyText, "base64");
    const auditKey = Buffer.from(hkdfSync("sha256", kek, Buffer.alloc(0), "watchword/audit-chain/v1", 32));
    // The derivation is the one the vault uses: the key recomputes a stored link.
    const [event] = await app.server.vault.store.auditEvents.listAuditEvents({ limit: 1 });
    const { canonicalAuditEvent } = await import("../../src/core/audit-chain.js");
    expect(createHmac("sha256", auditKey).update(canonicalAuditEvent(event!)).digest("hex")).toBe(event!.hash);

    const planted = [SEED_B32, SEED_B32.toLowerCase(), RECOVERY, "plum-orbit-lantern-4417", keyText, kek.toString("hex"), auditKey.toString("hex"), auditKey.toString("base64")];
    const events = JSON.stringify(await app.server.vault.store.auditEvents.listAuditEvents({ limit: 100_000 }));
    const file = await fs.readFile(checkpointFileIn(app.db.dataDir), "utf8");
    const stat = await fs.stat(checkpointFileIn(app.db.dataDir));
    expect((stat.mode & 0o777).toString(8)).toBe("600");
    for (const secret of planted) {
      expect(events.includes(secret), secret.slice(0, 6)).toBe(false);
      expect(file.includes(secret), secret.slice(0, 6)).toBe(false);
    }
    expect(await dumpDatabase(app.db)).not.toContain(RECOVERY);
  });
});
