// Baseline: raw node:crypto HMAC-SHA256 of a 300-byte line under a 32-byte key, one call per line:
// the work of checking one audit event's link and nothing else. Audit verification is quoted as a
// ratio of this (a ratio near 1 means reading the database costs next to nothing beside the HMAC).

import { createHmac, randomBytes } from "node:crypto";
import { measureOpsPerSecond } from "../support/timed-loop.mjs";

const roundMs = 300;

/** @type {import("../run.mjs").Bench<undefined>} */
export default {
  name: "hmac.sha256.line",
  title: `node:crypto HMAC-SHA256, 32-byte key, 300-byte line, ${roundMs} ms rounds`,
  unit: "ops/s",
  rounds: 7,
  warmup: 1,
  async run() {
    const key = randomBytes(32);
    const line = Buffer.alloc(300, 0x61);
    let step = 0;
    let sink = 0;
    const opsPerSecond = measureOpsPerSecond(() => {
      line.writeUInt32BE(step++ >>> 0, 0);
      sink ^= /** @type {number} */ (createHmac("sha256", key).update(line).digest()[31]);
    }, roundMs);
    if (sink === -1) console.log(sink); // keeps the digest observable
    return opsPerSecond;
  },
};
