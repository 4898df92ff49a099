// The audit key: links the audit chain with HMAC-SHA256 so that someone who can only write the
// database cannot forge a consistent chain. Derived from the key-encryption key by HKDF (RFC 5869),
// so it needs no storage of its own and changes with nothing but the KEK. Never leaves this object.
import { createHmac, hkdfSync } from "node:crypto";
import { inspect } from "node:util";
import type { LinkFunction } from "../core/audit-chain.js";
import { internal, problem } from "../core/errors.js";
import type { Secret } from "../core/secret.js";

const AUDIT_KEY_BYTES = 32;
// RFC 5869 §3.2: a distinct `info` per derived key; the salt is empty (the KEK is already uniform).
const AUDIT_KEY_INFO = "watchword/audit-chain/v1";
const AUDIT_KEY_ID_LABEL = "watchword audit key id";

export interface AuditKey {
  /** A non-secret fingerprint (64 bits, hex), recorded in checkpoints to tell a wrong key from tampering. */
  readonly keyId: string;
  /** HMAC-SHA256 of a canonical line under the audit key, in hex: the event's link. */
  readonly link: LinkFunction;
  /** Overwrites the key in memory; linking throws afterwards. */
  destroy(): void;
}

export function deriveAuditKey(kek: Secret): AuditKey {
  const key = Buffer.from(hkdfSync("sha256", kek.reveal(), Buffer.alloc(0), AUDIT_KEY_INFO, AUDIT_KEY_BYTES));
  const keyId = createHmac("sha256", key).update(AUDIT_KEY_ID_LABEL, "utf8").digest("hex").slice(0, 16);
  let isDestroyed = false;
  const link: LinkFunction = (line) => {
    // A destroyed key is all zeros, and would link under a key anyone knows.
    if (isDestroyed) throw internal(problem("keyring_destroyed"));
    return createHmac("sha256", key).update(line).digest("hex");
  };
  return {
    keyId,
    link,
    destroy() {
      key.fill(0);
      isDestroyed = true;
    },
    toJSON: () => ({ keyId }),
    [inspect.custom]: () => `AuditKey { keyId: '${keyId}' }`,
  } as AuditKey;
}
