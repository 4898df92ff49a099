// The audit key: links the audit chain with HMAC-SHA256 so that someone who can only write the
// database cannot forge a consistent chain. Derived from the key-encryption key by HKDF (RFC 5869),
// so it needs no storage of its own and changes with nothing but the KEK. Never leaves this object.
import { createHmac, hkdfSync } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { inspect } from "node:util";
import type { ChainPage, LinkFunction } from "../core/audit-chain.js";
import type { LinkShare } from "./audit-link-worker.js";
import { internal, problem } from "../core/errors.js";
import { Secret } from "../core/secret.js";

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
  /**
   * Worker threads that check pages of keyed links in parallel, or undefined where the worker
   * module is not built (running from TypeScript sources): the caller then checks in this thread.
   */
  startLinkWorkers?(count: number): LinkWorkers | undefined;
}

/** Checks a page of keyed links across worker threads. */
export interface LinkWorkers {
  /** The index of the first broken link from `startIndex` (as core/audit-chain.ts findBrokenLink), or -1. */
  findBrokenLink(page: ChainPage, previous: string, startIndex?: number): Promise<number>;
  close(): Promise<void>;
}

const LINK_WORKER = new URL("./audit-link-worker.js", import.meta.url);

function startWorkers(key: Buffer, count: number): LinkWorkers | undefined {
  if (!LINK_WORKER.pathname.endsWith(".js") || !existsSync(fileURLToPath(LINK_WORKER))) return undefined;
  const workers = Array.from({ length: count }, () => {
    // Each worker gets its own copy of the key, transferred (detached here), never posted as a message.
    const copy = new Uint8Array(key).buffer;
    const worker = new Worker(LINK_WORKER, { workerData: { key: copy }, transferList: [copy] });
    return worker;
  });
  let nextId = 0;
  const ask = (worker: Worker, share: Omit<LinkShare, "id">, transfer: ArrayBuffer[]) =>
    new Promise<number>((resolve, reject) => {
      const id = (nextId += 1);
      const onMessage = (reply: { id: number; index: number }) => {
        if (reply.id !== id) return;
        worker.off("message", onMessage);
        worker.off("error", reject);
        resolve(reply.index);
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
      worker.postMessage({ id, ...share }, transfer);
    });
  return {
    async findBrokenLink(page, previous, startIndex = 0) {
      // The page's bytes split at line ends into one run per worker, each copied once and transferred.
      const bytes = typeof page.lines === "string" ? Buffer.from(page.lines, "utf8") : Buffer.from(page.lines);
      const size = Math.ceil((page.count - startIndex) / workers.length);
      const links = previous + page.links;
      let index = 0;
      let offset = 0;
      const shares: Promise<number>[] = [];
      for (let from = 0; from < page.count; from = Math.min(page.count, index)) {
        const to = from < startIndex ? startIndex : Math.min(page.count, from + size);
        let end = offset;
        for (index = from; index < to; index++) {
          end = bytes.indexOf(0x0a, end);
          if (end === -1) end = bytes.length;
          end += 1;
        }
        if (from >= startIndex) {
          const share = new Uint8Array(bytes.subarray(offset, Math.max(offset, end - 1)));
          const worker = workers[shares.length % workers.length]!;
          const first = from;
          shares.push(
            ask(worker, { lines: share, count: to - from, links: links.slice(64 * (from + 1), 64 * (to + 1)), previous: links.slice(64 * from, 64 * (from + 1)) }, [share.buffer]).then((found) =>
              found === -1 ? -1 : first + found,
            ),
          );
        }
        offset = end;
      }
      const found = (await Promise.all(shares)).filter((i) => i !== -1);
      return found.length === 0 ? -1 : Math.min(...found);
    },
    async close() {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              worker.once("exit", () => resolve());
              worker.postMessage("stop");
            }),
        ),
      );
    },
  };
}

export function deriveAuditKey(kek: Secret): AuditKey {
  return auditKeyOf(Buffer.from(hkdfSync("sha256", kek.reveal(), Buffer.alloc(0), AUDIT_KEY_INFO, AUDIT_KEY_BYTES)));
}

/** The bytes deriveAuditKey links with, for a rotation to store them wrapped under the next KEK. */
export function deriveAuditSecret(kek: Secret): Secret {
  const bytes = Buffer.from(hkdfSync("sha256", kek.reveal(), Buffer.alloc(0), AUDIT_KEY_INFO, AUDIT_KEY_BYTES));
  try {
    return Secret.fromBytes(bytes);
  } finally {
    bytes.fill(0);
  }
}

/**
 * The audit key from its stored bytes (unwrapped from the audit_key row): a vault whose KEK
 * rotates or lives in an HSM keeps one audit key, wrapped, so its chain stays one chain.
 */
export function auditKeyFromSecret(bytes: Secret): AuditKey {
  if (bytes.length !== AUDIT_KEY_BYTES) throw internal(problem("key_wrong_length", { bytes: AUDIT_KEY_BYTES, length: bytes.length }));
  return auditKeyOf(Buffer.from(bytes.reveal()));
}

export { AUDIT_KEY_BYTES };

/** Takes ownership of `key` (wiped by destroy). */
function auditKeyOf(key: Buffer): AuditKey {
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
    startLinkWorkers: (count: number) => (isDestroyed ? undefined : startWorkers(key, count)),
    toJSON: () => ({ keyId }),
    [inspect.custom]: () => `AuditKey { keyId: '${keyId}' }`,
  } as AuditKey;
}
