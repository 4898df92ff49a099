// Each SIEM sender against a real receiver that misbehaves: a TLS listener whose certificate the
// destination's CA does not vouch for, a webhook that answers 500 or redirects, a TCP listener
// that resets the connection: each is a failure (the batch stays and is sent again), never a
// success that would move the cursor past records the receiver does not have.
import net from "node:net";
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { Secret } from "../../src/core/secret.js";
import { siemEventRecord } from "../../src/core/siem-records.js";
import { DeliveryFailure } from "../../src/services/outbox.js";
import { createSiemSender } from "../../src/services/siem-senders.js";
import { selfSignedCertificate, startSyslogReceiver, startWebhookReceiver } from "../support/siem-receivers.js";

const SECRET = "whsec-senders-test-5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f";
const record = siemEventRecord({
  seq: 1, id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", at: Date.now(), actorType: "user", actorId: "u", actorName: "ada", action: "code.issued", outcome: "success",
  entryId: null, entryName: null, reason: null, ip: "127.0.0.1", userAgent: "t", channel: "api", details: "{}", prevHash: "0".repeat(64), hash: "1".repeat(64),
});
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
});

describe("SIEM senders against misbehaving receivers", () => {
  it("refuses a TLS receiver whose certificate the destination's CA did not sign", async () => {
    const receiver = await startSyslogReceiver({ tls: selfSignedCertificate() });
    stops.push(() => receiver.stop());
    const other = selfSignedCertificate();
    const sender = createSiemSender({ name: "tls", transport: "syslog-tls", start: "beginning", host: "127.0.0.1", port: receiver.port, ca: other.cert });
    const failure = await sender.send([record]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryFailure);
    expect(String((failure as Error).message)).toMatch(/^The TLS connection to syslog\+tls:\/\/127\.0\.0\.1:\d+ failed \(/);
    expect(receiver.records).toEqual([]);
  });

  it("treats a webhook's 500 as a failure naming the status, and a redirect as a failure too", async () => {
    const receiver = await startWebhookReceiver(SECRET, { status: () => 500 });
    stops.push(() => receiver.stop());
    const sender = createSiemSender({ name: "hook", transport: "webhook", start: "beginning", host: "127.0.0.1", port: receiver.port, url: `http://127.0.0.1:${receiver.port}/in/planted`, secret: Secret.fromUtf8(SECRET) });
    await expect(sender.send([record])).rejects.toThrow(`http://127.0.0.1:${receiver.port} answered HTTP 500`);
    const redirecting = http.createServer((_request, response) => response.writeHead(307, { location: "http://127.0.0.1:1/" }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", () => resolve()));
    stops.push(() => new Promise((resolve) => redirecting.close(resolve)));
    const port = (redirecting.address() as net.AddressInfo).port;
    const redirected = createSiemSender({ name: "hook", transport: "webhook", start: "beginning", host: "127.0.0.1", port, url: `http://127.0.0.1:${port}/`, secret: Secret.fromUtf8(SECRET) });
    const failure = await redirected.send([record]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryFailure);
    expect((failure as Error).message).not.toContain("planted");
  });

  it("treats a TCP receiver that resets the connection unread as a failure", async () => {
    // Reads nothing and resets: what a receiver that dies with records in its buffer does.
    const resetting = net.createServer((socket) => {
      socket.pause();
      setTimeout(() => socket.resetAndDestroy(), 100);
    });
    await new Promise<void>((resolve) => resetting.listen(0, "127.0.0.1", () => resolve()));
    stops.push(() => new Promise((resolve) => resetting.close(resolve)));
    const port = (resetting.address() as net.AddressInfo).port;
    const sender = createSiemSender({ name: "tcp", transport: "syslog-tcp", start: "beginning", host: "127.0.0.1", port, ca: undefined });
    await expect(sender.send(Array.from({ length: 200 }, () => record))).rejects.toThrow(/could not be reached \((ECONNRESET|EPIPE|connection failed)\)/);
  });

  it("refuses a receiver that is not listening", async () => {
    const sender = createSiemSender({ name: "tcp", transport: "syslog-tcp", start: "beginning", host: "127.0.0.1", port: 1, ca: undefined });
    await expect(sender.send([record])).rejects.toThrow("syslog+tcp://127.0.0.1:1 could not be reached (ECONNREFUSED)");
  });
});
