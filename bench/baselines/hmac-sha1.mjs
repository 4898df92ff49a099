// Baseline: raw node:crypto HMAC-SHA1 of an 8-byte counter under a 20-byte key (RFC 4226's
// HOTP core, without truncation). Code generation is quoted as a ratio of this.

import { createHmac, randomBytes } from "node:crypto";
import { measureOpsPerSecond } from "../support/timed-loop.mjs";

const roundMs = 300;

/** @type {import("../run.mjs").Bench<undefined>} */
export default {
  name: "hmac.sha1",
  title: `node:crypto HMAC-SHA1, 20-byte key, 8-byte counter, ${roundMs} ms rounds`,
  unit: "ops/s",
  rounds: 7,
  warmup: 1,
  async run() {
    const key = randomBytes(20);
    const counter = Buffer.alloc(8);
    let step = 0;
    let sink = 0;
    const opsPerSecond = measureOpsPerSecond(() => {
      // The counter changes every time, as a TOTP step or HOTP counter would.
      counter.writeUInt32BE(step++ >>> 0, 4);
      sink ^= /** @type {number} */ (createHmac("sha1", key).update(counter).digest()[19]);
    }, roundMs);
    if (sink === -1) console.log(sink); // keeps the digest observable
    return opsPerSecond;
  },
};
