// Sends one batch of SIEM records to one destination and resolves only once the receiver has it
// as far as its transport can tell: a webhook's 2xx; for syslog over TCP and TLS the receiver
// closing the connection after reading everything up to our end of stream (a receiver that dies
// with records unread resets the connection instead, and the batch is sent again); for UDP, the
// datagrams handed to the network, which is all UDP can promise (RFC 5426 §8.1: no delivery guarantee).
import { connect as connectTcp, isIPv6, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { createSocket } from "node:dgram";
import { hostname } from "node:os";
import type { SiemDestinationConfig, SyslogDestinationConfig, WebhookDestinationConfig } from "../config-siem.js";
import { problem } from "../core/errors.js";
import { renderProblem } from "../core/problems/catalogue.js";
import { octetCountedFrame, syslogMessage, webhookBody, type SiemRecord } from "../core/siem-records.js";
import { signWebhookBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../crypto/webhook-signature.js";
import { packageVersion } from "../version.js";
import { DeliveryFailure } from "./outbox.js";

export interface SiemSender {
  /** How administrators see the destination: its scheme, host and port, never a path or secret. */
  readonly target: string;
  send(records: readonly SiemRecord[]): Promise<void>;
}

export interface SenderTiming {
  /** A whole batch's send, connection included. */
  readonly timeoutMs: number;
  /** Syslog over TCP/TLS: how long to wait for the receiver to close after our end of stream. */
  readonly closeGraceMs: number;
}

const DEFAULT_TIMING: SenderTiming = { timeoutMs: 10_000, closeGraceMs: 5_000 };
/** RFC 5426 §3.2: receivers SHOULD accept 1180 octets over either IP version; bigger may be dropped. */
export const UDP_MAX_MESSAGE_BYTES = 1180;

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|ERR_SSL|HOSTNAME|ALTNAME|DEPTH_ZERO/;

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined;
  if ("code" in error && typeof error.code === "string") return error.code;
  return "cause" in error ? codeOf(error.cause) : undefined;
};

function failureOf(target: string, error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  const code = codeOf(error);
  const name = typeof error === "object" && error !== null && "name" in error ? String(error.name) : "";
  if (name === "TimeoutError" || name === "AbortError") return new DeliveryFailure(renderProblem(problem("siem_delivery_timed_out", { target })));
  if (code !== undefined && TLS_CODES.test(code)) return new DeliveryFailure(renderProblem(problem("siem_delivery_tls_failed", { target, reason: code })));
  return new DeliveryFailure(renderProblem(problem("siem_delivery_unreachable", { target, reason: code ?? "connection failed" })));
}

const hostForUrl = (host: string): string => (isIPv6(host) ? `[${host}]` : host);

/** How administrators see a destination: scheme, host and port, never a path, query or secret. */
export function siemTarget(destination: SiemDestinationConfig): string {
  if (destination.transport === "webhook") return new URL(destination.url).origin;
  return `${destination.transport.replace("-", "+")}://${hostForUrl(destination.host)}:${destination.port}`;
}

function webhookSender(destination: WebhookDestinationConfig, timing: SenderTiming): SiemSender {
  const origin = siemTarget(destination);
  const userAgent = `watchword/${packageVersion()}`;
  return {
    target: origin,
    async send(records) {
      const body = webhookBody(records);
      const timestamp = Math.floor(Date.now() / 1000);
      let response: Response;
      try {
        response = await fetch(destination.url, {
          method: "POST",
          body,
          redirect: "error",
          signal: AbortSignal.timeout(timing.timeoutMs),
          headers: {
            "content-type": "application/json",
            "user-agent": userAgent,
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signWebhookBody(destination.secret, timestamp, body),
          },
        });
        // The body is read and dropped: what a receiver says is not ours to log.
        await response.arrayBuffer();
      } catch (error) {
        throw failureOf(origin, error);
      }
      if (response.status < 200 || response.status > 299) throw new DeliveryFailure(renderProblem(problem("siem_delivery_refused_status", { target: origin, status: response.status })));
    },
  };
}

/** Writes the frames, ends the stream, and resolves when the receiver closes in turn (or stays quiet past the grace). */
function sendOverStream(open: () => Socket, isTls: boolean, frames: Buffer, target: string, timing: SenderTiming): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = open();
    let isSettled = false;
    let grace: NodeJS.Timeout | undefined;
    const settle = (error?: unknown) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(deadline);
      clearTimeout(grace);
      socket.destroy();
      if (error === undefined) resolve();
      else reject(failureOf(target, error));
    };
    const deadline = setTimeout(() => settle(Object.assign(new Error("timed out"), { name: "TimeoutError" })), timing.timeoutMs);
    socket.on("error", (error) => settle(error));
    socket.on("data", () => undefined); // a syslog receiver says nothing; anything it says is ignored.
    socket.on("close", (hadError) => settle(hadError ? new Error("connection reset") : undefined));
    socket.once(isTls ? "secureConnect" : "connect", () => {
      socket.end(frames, () => {
        // Everything is written and our FIN sent; a receiver that read it all closes in turn.
        grace = setTimeout(() => settle(), timing.closeGraceMs);
      });
    });
  });
}

function syslogStreamSender(destination: SyslogDestinationConfig, timing: SenderTiming): SiemSender {
  const { host, port } = destination;
  const target = siemTarget(destination);
  const localName = hostname();
  const open = (): Socket =>
    destination.transport === "syslog-tls"
      ? connectTls({ host, port, servername: isIPv6(host) || /^\d+\.\d+\.\d+\.\d+$/.test(host) ? undefined : host, ...(destination.ca === undefined ? {} : { ca: destination.ca }) })
      : connectTcp({ host, port });
  return {
    target,
    send: (records) => sendOverStream(open, destination.transport === "syslog-tls", Buffer.concat(records.map((record) => octetCountedFrame(syslogMessage(record, localName)))), target, timing),
  };
}

function syslogUdpSender(destination: SyslogDestinationConfig): SiemSender {
  const { host, port } = destination;
  const target = siemTarget(destination);
  const localName = hostname();
  return {
    target,
    async send(records) {
      const socket = createSocket(isIPv6(host) ? "udp6" : "udp4");
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once("error", reject);
          socket.connect(port, host, () => resolve());
        });
        // RFC 5426 §3.1: one message per datagram, no framing. A connected socket hears of an
        // unreachable port (ICMP) on a later send, so a receiver that is down is sometimes noticed.
        for (const record of records) {
          const datagram = Buffer.from(syslogMessage(record, localName, UDP_MAX_MESSAGE_BYTES), "utf8");
          await new Promise<void>((resolve, reject) => socket.send(datagram, (error) => (error ? reject(error) : resolve())));
        }
      } catch (error) {
        throw failureOf(target, error);
      } finally {
        socket.close();
      }
    },
  };
}

export function createSiemSender(destination: SiemDestinationConfig, timing: Partial<SenderTiming> = {}): SiemSender {
  const chosen = { ...DEFAULT_TIMING, ...timing };
  switch (destination.transport) {
    case "webhook":
      return webhookSender(destination, chosen);
    case "syslog-udp":
      return syslogUdpSender(destination);
    default:
      return syslogStreamSender(destination, chosen);
  }
}
