// Verification across worker threads (VerifyOptions.workers, built code only: the worker module is
// JavaScript) gives the verdict verification in one thread gives: intact, and the first event
// modified, on a chain long enough to be split between workers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Config from "../../src/config.js";
import type * as AuditVerify from "../../src/services/audit-verify.js";
import type * as VaultModule from "../../src/services/vault.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";

const EVENTS = 60_000;
const built = "../../dist/node";

describe("audit verification in worker threads", () => {
  let db: TestDatabase;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the built modules, typed as their sources
  let vault: any;
  let verifyAuditChain: typeof AuditVerify.verifyAuditChain;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    const { loadServerConfig } = (await import(`${built}/config.js`)) as typeof Config;
    const { openVault } = (await import(`${built}/services/vault.js`)) as typeof VaultModule;
    ({ verifyAuditChain } = (await import(`${built}/services/audit-verify.js`)) as typeof AuditVerify);
    vault = await openVault({ config: loadServerConfig({ dataDir: db.dataDir }, {}) });
    for (let written = 0; written < EVENTS; written += 1000) {
      const events = Array.from({ length: 1000 }, (_, i) => ({
        id: `3f1b6a52-1c7d-4a6e-9c0b-${String(written + i).padStart(12, "0")}`,
        at: Date.now(), actorType: "user", actorId: null, actorName: "alice", action: "code.issued", outcome: "success",
        entryId: null, entryName: null, reason: null, ip: "203.0.113.24", userAgent: "test", channel: "api", details: "{}",
      }));
      await vault.store.transaction((tx: { auditEvents: { appendAuditEvents(e: unknown[]): Promise<unknown> } }) => tx.auditEvents.appendAuditEvents(events));
    }
  }, 120_000);
  afterAll(async () => {
    await vault?.close();
    await db?.drop();
  });

  const verify = (workers: number) =>
    verifyAuditChain({ auditEvents: vault.store.auditEvents, auditKey: vault.keyring.auditKey }, { checkpoints: [], checkpointFile: "(none)", workers });

  it("finds the chain intact, and names the first modified event, as one thread does", async () => {
    expect(vault.keyring.auditKey.startLinkWorkers).toBeTypeOf("function");
    const [inThread, inWorkers] = [await verify(0), await verify(2)];
    expect(inWorkers).toEqual(inThread);
    expect(inWorkers).toMatchObject({ isIntact: true, eventsChecked: EVENTS });
    // In the second worker's share of a page, and a later one in the first's: the first is named.
    for (const seq of [EVENTS - 100, 8192 * 3 + 6000]) {
      await withRawDatabase(db, (raw) => raw.updateTable("audit_events").set({ actor_name: "mallory" }).where("seq", "=", seq).execute());
    }
    const [brokenInThread, brokenInWorkers] = [await verify(0), await verify(2)];
    expect(brokenInWorkers).toEqual(brokenInThread);
    expect(brokenInWorkers).toMatchObject({ isIntact: false, brokenAt: 8192 * 3 + 6000, finding: { key: "audit_chain_event_changed" } });
  });
});
