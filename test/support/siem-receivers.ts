// Real SIEM receivers for the outbox tests, started by the test on ephemeral ports and able to
// stop and start again on the same port: an HTTP server that checks each webhook's signature and
// timestamp, a TCP or TLS listener that parses RFC 6587 octet-counted RFC 5424 messages, and a
// UDP socket taking one message per datagram. Each keeps what arrived, in arrival order.
import { execFileSync } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";

export interface ReceivedRecord {
  readonly type: "audit_event" | "audit_checkpoint";
  readonly id: string;
  readonly seq: number;
  readonly [key: string]: unknown;
}

export interface Receiver {
  readonly port: number;
  readonly records: ReceivedRecord[];
  /** Problems the receiver saw (bad signature, bad frame): a test expects none. */
  readonly faults: string[];
  /** Stops listening and cuts every open connection, as a receiver that goes down does. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

function listenOn(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** A webhook receiver verifying `watchword-signature` = v1=HMAC-SHA256(secret, timestamp + "." + body) and a timestamp within 5 minutes. */
export async function startWebhookReceiver(secret: string, options: { status?: () => number; respondAfterMs?: number } = {}): Promise<Receiver & { readonly bodies: string[]; readonly headers: http.IncomingHttpHeaders[] }> {
  const records: ReceivedRecord[] = [];
  const faults: string[] = [];
  const bodies: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const make = () =>
    http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const timestamp = String(request.headers["watchword-timestamp"] ?? "");
        const signature = String(request.headers["watchword-signature"] ?? "");
        const expected = `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
        const isSigned = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
        const isFresh = /^\d+$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
        if (!isSigned || !isFresh) {
          faults.push(`bad signature or timestamp: ${signature} ${timestamp}`);
          response.writeHead(401).end();
          return;
        }
        const status = options.status?.() ?? 200;
        if (status >= 200 && status < 300) {
          bodies.push(body);
          headers.push(request.headers);
          records.push(...(JSON.parse(body) as { records: ReceivedRecord[] }).records);
        }
        // A slow receiver keeps deliveries in flight, for a sender to die in the middle of one.
        setTimeout(() => response.writeHead(status).end(), options.respondAfterMs ?? 0);
      });
    });
  let server = make();
  const port = await listenOn(server, 0);
  return {
    port,
    records,
    faults,
    bodies,
    headers,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    async start() {
      server = make();
      await listenOn(server, port);
    },
  };
}

// RFC 5424 §6: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
const SYSLOG = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (\[watchword@32473 (?:[^\]\\]|\\.)*\]) \uFEFF([\s\S]*)$/;

/** Parses one RFC 5424 message as Watchword writes it; throws on anything else. */
export function parseSyslogMessage(message: string): { pri: number; timestamp: string; hostname: string; app: string; msgId: string; sd: Record<string, string>; msg: string } {
  const match = SYSLOG.exec(message);
  if (match === null) throw new Error(`not an RFC 5424 message from Watchword: ${message.slice(0, 200)}`);
  const sd: Record<string, string> = {};
  for (const param of match[7]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) sd[param[1]!] = param[2]!.replace(/\\(["\\\]])/g, "$1");
  return { pri: Number(match[1]), timestamp: match[2]!, hostname: match[3]!, app: match[4]!, msgId: match[6]!, sd, msg: match[8]! };
}

function recordOfMessage(message: string, faults: string[]): ReceivedRecord | undefined {
  try {
    const parsed = parseSyslogMessage(message);
    if (parsed.sd.truncated === "true") return { type: parsed.sd.type as ReceivedRecord["type"], id: parsed.sd.id!, seq: Number(parsed.sd.seq), truncated: true };
    const record = JSON.parse(parsed.msg) as ReceivedRecord;
    if (record.id !== parsed.sd.id || String(record.seq) !== parsed.sd.seq) faults.push(`structured data differs from the message: ${message.slice(0, 200)}`);
    return record;
  } catch (error) {
    faults.push(String(error));
    return undefined;
  }
}

/** Reads RFC 6587 §3.4.1 frames (`LEN SP MSG`) from a stream of bytes. */
function frameReader(onMessage: (message: string) => void, onFault: (fault: string) => void): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const space = buffered.indexOf(0x20);
      if (space === -1) return;
      const length = buffered.subarray(0, space).toString("ascii");
      if (!/^[1-9]\d{0,5}$/.test(length)) {
        onFault(`bad frame length: ${JSON.stringify(length.slice(0, 20))}`);
        buffered = Buffer.alloc(0);
        return;
      }
      const end = space + 1 + Number(length);
      if (buffered.length < end) return;
      onMessage(buffered.subarray(space + 1, end).toString("utf8"));
      buffered = buffered.subarray(end);
    }
  };
}

export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
  /** The certificate's file, to hand Watchword as its CA file. */
  readonly certFile: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with the openssl command. */
export function selfSignedCertificate(): TlsFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watchword-tls-"));
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", keyFile, "-out", certFile,
  ], { stdio: "ignore" });
  return { cert: fs.readFileSync(certFile, "utf8"), key: fs.readFileSync(keyFile, "utf8"), certFile };
}

/** A syslog listener over TCP (RFC 6587) or TLS (RFC 5425) taking octet-counted frames. */
export async function startSyslogReceiver(options: { tls?: TlsFiles } = {}): Promise<Receiver & { readonly messages: string[]; readonly connections: () => number }> {
  const records: ReceivedRecord[] = [];
  const messages: string[] = [];
  const faults: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const onConnection = (socket: net.Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.on(
      "data",
      frameReader(
        (message) => {
          messages.push(message);
          const record = recordOfMessage(message, faults);
          if (record !== undefined) records.push(record);
        },
        (fault) => faults.push(fault),
      ),
    );
  };
  const make = (): net.Server => (options.tls === undefined ? net.createServer(onConnection) : tls.createServer({ cert: options.tls.cert, key: options.tls.key }, onConnection));
  let server = make();
  const port = await listenOn(server, 0);
  return {
    port,
    records,
    messages,
    faults,
    connections: () => connections,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    async start() {
      server = make();
      await listenOn(server, port);
    },
  };
}

/** A syslog listener over UDP (RFC 5426): one message per datagram. */
export async function startUdpReceiver(): Promise<Receiver & { readonly datagramSizes: number[] }> {
  const records: ReceivedRecord[] = [];
  const faults: string[] = [];
  const datagramSizes: number[] = [];
  const make = async (port: number): Promise<UdpSocket> => {
    const socket = createSocket("udp4");
    socket.on("message", (datagram) => {
      datagramSizes.push(datagram.length);
      const record = recordOfMessage(datagram.toString("utf8"), faults);
      if (record !== undefined) records.push(record);
    });
    await new Promise<void>((resolve) => socket.bind(port, "127.0.0.1", () => resolve()));
    return socket;
  };
  let socket = await make(0);
  const port = socket.address().port;
  return {
    port,
    records,
    faults,
    datagramSizes,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
    async start() {
      socket = await make(port);
    },
  };
}

/** The events among the records, each once (a receiver drops repeats by id), in arrival order. */
export function distinctEvents(records: readonly ReceivedRecord[]): ReceivedRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => r.type === "audit_event" && !seen.has(r.id) && (seen.add(r.id), true));
}
