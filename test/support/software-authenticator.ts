// A software WebAuthn authenticator for Node tests: an ES256 key from node:crypto, attestation
// "none" in CBOR, authenticatorData with its flags and signature counter. It answers the options
// the server hands out as a browser would, and lets a test forge what a browser never would
// (another origin, a counter that goes back, a stale challenge) to prove each is refused.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

type Cbor = number | string | Buffer | boolean | readonly Cbor[] | ReadonlyMap<Cbor, Cbor> | { readonly [key: string]: Cbor };

/** Minimal CBOR (RFC 8949) encoding: unsigned and negative integers, byte and text strings, arrays, maps. */
function encodeCbor(value: Cbor): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    if (length < 65536) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(length, 1);
    return b;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "boolean") return Buffer.from([value ? 0xf5 : 0xf4]);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(encodeCbor)]);
  const entries: [Cbor, Cbor][] = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, Cbor>);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [encodeCbor(k), encodeCbor(v)])]);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface StoredCredential {
  readonly id: Buffer;
  readonly privateKey: KeyObject;
  readonly userHandle: string;
  counter: number;
}

/** What a test may change about one answer, to make it hostile. */
export interface Forgery {
  readonly origin?: string;
  readonly rpId?: string;
  readonly counter?: number;
  readonly isUserVerified?: boolean;
  readonly challenge?: string;
  readonly type?: string;
  /** Sign with another credential's key than the one named. */
  readonly signWith?: StoredCredential;
  readonly credentialId?: string;
}

interface CreationOptions {
  readonly challenge: string;
  readonly rp: { readonly id?: string };
  readonly user: { readonly id: string };
}

interface RequestOptions {
  readonly challenge: string;
  readonly rpId?: string;
  readonly allowCredentials?: readonly { readonly id: string }[];
}

const b64 = (bytes: Buffer): string => bytes.toString("base64url");
const sha256 = (data: Buffer | string): Buffer => createHash("sha256").update(data).digest();

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = [];

  constructor(
    readonly origin: string,
    readonly rpId: string,
  ) {}

  /** Answers navigator.credentials.create() options as RegistrationResponseJSON (a discoverable credential). */
  register(options: CreationOptions, forgery: Forgery = {}) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]);
    const id = randomBytes(32);
    const credential: StoredCredential = { id, privateKey, userHandle: options.user.id, counter: 0 };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, id, encodeCbor(coseKey)]);
    const authData = this.authenticatorData(forgery.rpId ?? options.rp.id ?? this.rpId, FLAG_UP | (forgery.isUserVerified === false ? 0 : FLAG_UV) | FLAG_AT, 0, attested);
    const clientDataJSON = this.clientData("webauthn.create", forgery.challenge ?? options.challenge, forgery.origin);
    this.credentials.push(credential);
    return {
      id: b64(id),
      rawId: b64(id),
      type: "public-key" as const,
      response: { clientDataJSON: b64(clientDataJSON), attestationObject: b64(encodeCbor({ fmt: "none", attStmt: {}, authData })), transports: ["internal"] },
      clientExtensionResults: { credProps: { rk: true } },
      authenticatorAttachment: "platform" as const,
    };
  }

  /** Answers navigator.credentials.get() options as AuthenticationResponseJSON with `credential` (by default the last one made). */
  assert(options: RequestOptions, credential: StoredCredential | undefined = this.credentials.at(-1), forgery: Forgery = {}) {
    if (credential === undefined) throw new Error("The software authenticator holds no credential.");
    const counter = forgery.counter ?? (credential.counter += 1);
    const authData = this.authenticatorData(forgery.rpId ?? options.rpId ?? this.rpId, FLAG_UP | (forgery.isUserVerified === false ? 0 : FLAG_UV), counter);
    const clientDataJSON = this.clientData(forgery.type ?? "webauthn.get", forgery.challenge ?? options.challenge, forgery.origin);
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), (forgery.signWith ?? credential).privateKey);
    const id = forgery.credentialId ?? b64(credential.id);
    return {
      id,
      rawId: id,
      type: "public-key" as const,
      response: { clientDataJSON: b64(clientDataJSON), authenticatorData: b64(authData), signature: b64(signature), userHandle: credential.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: "platform" as const,
    };
  }

  private authenticatorData(rpId: string, flags: number, counter: number, attested: Buffer = Buffer.alloc(0)): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, attested]);
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), "utf8");
  }
}
