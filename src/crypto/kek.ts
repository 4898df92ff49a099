// A key-encryption key (KEK) as the keyring sees it: something that wraps and unwraps small secrets
// (data keys, the audit key) in the envelope format. A software KEK holds its bytes here; an HSM's
// never leaves the HSM (pkcs11-key-provider.ts). Never puts key material in an error or a log.
import { createHmac } from "node:crypto";
import { inspect } from "node:util";
import { internal, problem } from "../core/errors.js";
import type { Secret } from "../core/secret.js";
import { openWithContext, sealWithContext } from "./envelope.js";
import { deriveAuditSecret } from "./audit-key.js";

export interface KeyEncryptionKey {
  /** A non-secret fingerprint (16 hex digits), stored beside every wrapped key it wraps. */
  readonly kekId: string;
  /** Where it lives, for the operator ("the key file /data/master-2.key"). */
  readonly description: string;
  /** Seals `plaintext` under this KEK in the envelope format (header, nonce, ciphertext, tag). */
  wrap(keyVersion: number, plaintext: Secret, context: Uint8Array): Buffer;
  /** Opens what wrap sealed; throws (never returns null) when the tag fails. */
  unwrap(keyVersion: number, wrapped: Uint8Array, context: Uint8Array): Secret;
  /**
   * The audit key as vaults made before migration 0019 derive it (HKDF of the KEK's bytes), or
   * undefined for a KEK whose bytes are out of reach (an HSM key): such a vault stores its audit key wrapped.
   */
  deriveLegacyAuditSecret?(): Secret;
  destroy(): void;
}

const KEK_ID_LABEL = "watchword key id";

/** A non-secret fingerprint: HMAC-SHA256(KEK, label), first 64 bits in hex. It cannot reveal the KEK. */
export function deriveKekId(kek: Secret): string {
  return createHmac("sha256", kek.reveal()).update(KEK_ID_LABEL, "utf8").digest("hex").slice(0, 16);
}

/** The label an HSM key's CMAC is taken over for its id: the same words as a software key's HMAC. */
export const HSM_KEK_ID_LABEL = KEK_ID_LABEL;

/** A KEK held in this process (a key file, WATCHWORD_MASTER_KEY): AES-256-GCM through envelope.ts. */
export function softwareKek(secret: Secret, description: string): KeyEncryptionKey {
  const kekId = deriveKekId(secret);
  let isDestroyed = false;
  const usable = (): Secret => {
    // A destroyed Secret is all zeros: wrapping under it would use a key anyone knows.
    if (isDestroyed) throw internal(problem("keyring_destroyed"));
    return secret;
  };
  return {
    kekId,
    description,
    wrap: (keyVersion, plaintext, context) => sealWithContext(usable(), keyVersion, plaintext, context),
    unwrap: (keyVersion, wrapped, context) => openWithContext(usable(), keyVersion, wrapped, context),
    deriveLegacyAuditSecret: () => deriveAuditSecret(usable()),
    destroy() {
      secret.destroy();
      isDestroyed = true;
    },
    toJSON: () => ({ kekId, description }),
    [inspect.custom]: () => `KeyEncryptionKey { kekId: '${kekId}', description: '${description}' }`,
  } as KeyEncryptionKey;
}
