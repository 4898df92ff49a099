// A push service for tests: a local HTTP receiver with a browser's side of a Web Push subscription.
// It checks each message's VAPID JWT (RFC 8292: ES256 over the server's public key, audience,
// expiry) and decrypts its payload with the subscription's private key (RFC 8291 with RFC 8188
// aes128gcm), written here with node:crypto (ECDH + HKDF + AES-GCM) so that the test does not
// trust the library that encrypted it.
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedPush {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface PushReceiver {
  /** A subscription endpoint on this receiver; `status` is what it answers there (201, or 410 for a gone one). */
  endpoint(name: string, status?: number): string;
  /** The browser's side: PushSubscription.toJSON().keys, and the private key to decrypt with. */
  readonly keys: { readonly p256dh: string; readonly auth: string };
  readonly received: ReceivedPush[];
  close(): Promise<void>;
}

export async function startPushReceiver(): Promise<PushReceiver & { decrypt(body: Buffer): Buffer }> {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  const statuses = new Map<string, number>();
  const received: ReceivedPush[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "";
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(statuses.get(path) ?? 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint(name, status = 201) {
      statuses.set(`/push/${name}`, status);
      return `${base}/push/${name}`;
    },
    keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: authSecret.toString("base64url") },
    received,
    decrypt: (body) => decryptAes128gcm(body, ecdh.getPrivateKey(), ecdh.getPublicKey(), authSecret),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const hkdf = (salt: Buffer, ikm: Buffer, info: Buffer, length: number) => Buffer.from(hkdfSync("sha256", ikm, salt, info, length));

/** RFC 8291 §3.4 and RFC 8188 §2: one record, padding delimiter 0x02. */
export function decryptAes128gcm(body: Buffer, uaPrivate: Buffer, uaPublic: Buffer, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const asPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (idLength !== 65 || ciphertext.length > recordSize) throw new Error("not one aes128gcm record with a P-256 key id");
  const receiver = createECDH("prime256v1");
  receiver.setPrivateKey(uaPrivate);
  const ecdhSecret = receiver.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0", "latin1"), uaPublic, asPublic]);
  const ikm = hkdf(authSecret, ecdhSecret, keyInfo, 32);
  const cek = hkdf(salt, ikm, Buffer.from("Content-Encoding: aes128gcm\0", "latin1"), 16);
  const nonce = hkdf(salt, ikm, Buffer.from("Content-Encoding: nonce\0", "latin1"), 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error("the last record's padding delimiter is not 0x02");
  return padded.subarray(0, end);
}

/** Checks `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292 §3): answers the JWT's claims, throws when the signature or claims are wrong. */
export function verifyVapid(authorization: string | undefined, expected: { publicKey: string; audience: string; now: number }): Record<string, unknown> {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? "");
  if (match === null) throw new Error(`no vapid authorization: ${authorization}`);
  const [, jwt = "", key = ""] = match;
  if (key !== expected.publicKey) throw new Error("the k= key is not the server's VAPID public key");
  const [header = "", claims = "", signature = ""] = jwt.split(".");
  if ((JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: string }).alg !== "ES256") throw new Error("not ES256");
  const point = Buffer.from(key, "base64url");
  const publicKey = createPublicKey({ key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") }, format: "jwk" });
  const isValid = verify("sha256", Buffer.from(`${header}.${claims}`), { key: publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
  if (!isValid) throw new Error("the VAPID signature does not verify");
  const parsed = JSON.parse(Buffer.from(claims, "base64url").toString()) as Record<string, unknown>;
  if (parsed.aud !== expected.audience) throw new Error(`aud ${String(parsed.aud)} is not ${expected.audience}`);
  const exp = Number(parsed.exp) * 1000;
  if (!(exp > expected.now - 60_000 && exp <= expected.now + 24 * 60 * 60 * 1000 + 60_000)) throw new Error("exp is not within 24 hours");
  if (typeof parsed.sub !== "string" || !/^(mailto:|https:)/.test(parsed.sub)) throw new Error("no sub contact");
  return parsed;
}
