// Audit verification rate: `verifyAuditChain` (what `watchword audit verify` runs) over a vault of
// BENCH_AUDIT_EVENTS events (default 1,000,000) in SQLite, written through the store's own append
// (keyed links, 1,000 events a transaction) with realistic fields; each round verifies the whole
// chain against a checkpoint file. Quoted as a ratio of raw HMAC-SHA256 per line (target ≥ 500,000 events/s).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const BATCH = 1000;
/** Worker threads for the HMACs (VerifyOptions.workers); 0, the default, checks in the main thread. */
const WORKERS = Number(process.env.BENCH_AUDIT_WORKERS ?? 0);

/** @typedef {{ dataDir: string, vault: any, verifyAuditLog: any, checkpointFile: string }} Context */

/** @type {import("./run.mjs").Bench<Context>} */
export default {
  name: "audit.verify",
  title: `audit verify over ${EVENTS.toLocaleString("en-US")} keyed events in SQLite, whole chain and checkpoints per round, ${WORKERS} worker threads`,
  unit: "events/s",
  baseline: "hmac.sha256.line",
  rounds: 3,
  warmup: 1,
  async setup() {
    const { loadServerConfig } = await import("../dist/node/config.js");
    const { openVault } = await import("../dist/node/services/vault.js");
    const { verifyAuditLog } = await import("../dist/node/services/audit-verify.js");
    const { checkpointFileIn, createAuditCheckpointWriter } = await import("../dist/node/store/audit-checkpoint-file.js");
    const dataDir = mkdtempSync(join(tmpdir(), "watchword-bench-audit-"));
    const vault = await openVault({ config: loadServerConfig({ dataDir }, {}) });
    const checkpointFile = checkpointFileIn(dataDir);
    const writer = createAuditCheckpointWriter(checkpointFile);
    const at = Date.now();
    for (let written = 0; written < EVENTS; written += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, EVENTS - written) }, (_, i) => {
        const n = written + i;
        return {
          id: `3f1b6a52-1c7d-4a6e-9c0b-${String(n).padStart(12, "0")}`,
          at: at + n,
          actorType: "user",
          actorId: "0b7e4c1a-7d0f-4e55-9a37-0c2d9f1e8b64",
          actorName: "alice",
          action: "code.issued",
          outcome: "success",
          entryId: "9c41e2d8-5b3a-4f6e-8d17-2a6b0c9e4f31",
          entryName: "AWS root",
          reason: null,
          ip: "203.0.113.24",
          userAgent: "watchword-cli/0.1.0 (linux x64; node 20)",
          channel: "api",
          details: `{"type":"totp","validFrom":${1795420800 + n * 30},"via":"role"}`,
        };
      });
      const head = await vault.store.transaction((tx) => tx.auditEvents.appendAuditEvents(events));
      if ((written / BATCH) % 100 === 99) await writer.append({ seq: head.seq, link: head.link, at, keyedFrom: head.keyedFrom, keyId: vault.keyring.auditKey.keyId });
    }
    await writer.close();
    return { dataDir, vault, verifyAuditLog, checkpointFile };
  },
  async run(context) {
    const started = performance.now();
    const verdict = await context.verifyAuditLog({ store: context.vault.store, auditKey: context.vault.keyring.auditKey, checkpointFile: context.checkpointFile }, { isFileRequired: true, workers: WORKERS });
    const seconds = (performance.now() - started) / 1000;
    if (!verdict.isIntact || verdict.eventsChecked !== EVENTS) throw new Error(`verification failed: ${verdict.message}`);
    return verdict.eventsChecked / seconds;
  },
  async teardown(context) {
    await context.vault.close();
    rmSync(context.dataDir, { recursive: true, force: true });
  },
};
