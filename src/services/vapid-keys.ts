// The server's VAPID key pair (RFC 8292) for Web Push: made on first use, its private half sealed
// under the keyring's data key like every other secret (bound to its row and field), never stored
// or logged plain. Two nodes racing to make one: the second insert fails and both use the first.
import webpush from "web-push";
import type { Clock } from "../core/clock.js";
import { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import type { PushApprovalStore } from "../store/push-approvals.js";

export const VAPID_KEY_BINDING = { recordId: "vapid", field: "server-key:vapid-private" } as const;

export interface VapidKeys {
  /** base64url, uncompressed P-256 point: browsers subscribe with it (applicationServerKey). */
  readonly publicKey: string;
  /** The private key (base64url), unsealed for one signature; destroy() after use. */
  readonly privateKey: Secret;
}

export interface VapidKeySource {
  publicKey(): Promise<string>;
  open(): Promise<VapidKeys>;
}

export function createVapidKeySource(deps: { store: Pick<PushApprovalStore, "readVapidKey" | "insertVapidKey">; keyring: Pick<Keyring, "seal" | "open">; clock: Clock }): VapidKeySource {
  const { store, keyring, clock } = deps;
  async function record() {
    const found = await store.readVapidKey();
    if (found !== undefined) return found;
    const made = webpush.generateVAPIDKeys();
    const privateKey = Secret.fromUtf8(made.privateKey);
    try {
      await store.insertVapidKey({ publicKey: made.publicKey, privateKeySealed: keyring.seal(privateKey, VAPID_KEY_BINDING), createdAt: clock.now() });
    } catch (error) {
      // Another node made one between our read and insert: use its key.
      const theirs = await store.readVapidKey();
      if (theirs === undefined) throw error;
      return theirs;
    } finally {
      privateKey.destroy();
    }
    return (await store.readVapidKey())!;
  }
  return {
    publicKey: async () => (await record()).publicKey,
    async open() {
      const found = await record();
      return { publicKey: found.publicKey, privateKey: keyring.open(found.privateKeySealed, VAPID_KEY_BINDING) };
    },
  };
}
