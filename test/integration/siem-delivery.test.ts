// SIEM delivery against real receivers on both databases: a webhook server that checks every
// signature, syslog listeners over TCP and TLS parsing octet-counted RFC 5424 frames, and a UDP
// socket. Every event reaches every receiver in seq order with its id, checkpoints follow their
// event, a receiver that goes down mid-stream gets everything once it is back, and the delivery
// state administrators see names no secret.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { databaseKinds, createTestDatabase, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { distinctEvents, selfSignedCertificate, startSyslogReceiver, startUdpReceiver, startWebhookReceiver, type Receiver } from "../support/siem-receivers.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";
import { cleanEnv, runCli } from "../support/cli.js";

const SECRET = "whsec-planted-7f3c9a1e5b2d8f4a6c0e9b7d5a3f1c8e";
const PATH_TOKEN = "planted-path-token-51c2e9";
const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(databaseKinds)("SIEM delivery on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let entryId: string;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let tcp: Awaited<ReturnType<typeof startSyslogReceiver>>;
  let tlsReceiver: Awaited<ReturnType<typeof startSyslogReceiver>>;
  let udp: Awaited<ReturnType<typeof startUdpReceiver>>;
  let receivers: Receiver[];

  const storedEvents = async () => server.vault.store.auditEvents.listAuditEvents({ limit: 100_000 });
  const expectEverythingDelivered = async (receiver: Receiver) => {
    const stored = await storedEvents();
    await waitFor("every event at the receiver", () => distinctEvents(receiver.records).length >= stored.length);
    expect(distinctEvents(receiver.records).map((r) => [r.seq, r.id])).toEqual(stored.map((e) => [e.seq, e.id]));
  };

  beforeAll(async () => {
    const certificate = selfSignedCertificate();
    [webhook, tcp, tlsReceiver, udp] = await Promise.all([startWebhookReceiver(SECRET), startSyslogReceiver(), startSyslogReceiver({ tls: certificate }), startUdpReceiver()]);
    receivers = [webhook, tcp, tlsReceiver, udp];
    db = await createTestDatabase(kind);
    server = await startTestApp(db, {
      env: {
        WATCHWORD_SIEM_HOOK_URL: `http://127.0.0.1:${webhook.port}/ingest/${PATH_TOKEN}?key=${PATH_TOKEN}`,
        WATCHWORD_SIEM_HOOK_SECRET: SECRET,
        WATCHWORD_SIEM_TCP_URL: `syslog+tcp://127.0.0.1:${tcp.port}`,
        WATCHWORD_SIEM_TLS_URL: `syslog+tls://127.0.0.1:${tlsReceiver.port}`,
        WATCHWORD_SIEM_TLS_CA_FILE: certificate.certFile,
        WATCHWORD_SIEM_UDP_URL: `syslog+udp://127.0.0.1:${udp.port}`,
        WATCHWORD_OUTBOX_POLL_MS: "100",
        WATCHWORD_OUTBOX_RETRY_MAX_SECONDS: "1",
        WATCHWORD_AUDIT_CHECKPOINT_EVENTS: "7",
      },
    });
    admin = await signedInClient(server, "ada", "admin");
    entryId = (await admin.createEntry({ name: "AWS root", seed: { secret: SEED_B32 } })).entry.id;
  });
  let isClosed = false;
  afterAll(async () => {
    if (!isClosed) await server?.close();
    await Promise.all((receivers ?? []).map((r) => r.stop().catch(() => undefined)));
    await db?.drop();
  });

  it("delivers every event to every receiver in seq order, with checkpoints after their event", async () => {
    for (let i = 0; i < 25; i += 1) await admin.getCode(entryId);
    for (const receiver of receivers) await expectEverythingDelivered(receiver);
    for (const receiver of receivers) expect(receiver.faults).toEqual([]);
    // Checkpoints came along (every 7 events), each after the event it names.
    for (const receiver of [webhook, tcp, tlsReceiver]) {
      const checkpoints = receiver.records.filter((r) => r.type === "audit_checkpoint");
      expect(checkpoints.length).toBeGreaterThan(0);
      for (const checkpoint of checkpoints) {
        const index = receiver.records.indexOf(checkpoint);
        expect(receiver.records.slice(0, index).some((r) => r.type === "audit_event" && r.seq === checkpoint.seq)).toBe(true);
      }
    }
    const event = webhook.records.find((r) => r.type === "audit_event" && r.action === "code.issued");
    expect(event).toMatchObject({ outcome: "success", entry: { id: entryId, name: "AWS root" }, actor: { type: "user", name: "ada" } });
    // RFC 5426: datagrams stay within what every receiver must take.
    expect(Math.max(...udp.datagramSizes)).toBeLessThanOrEqual(1180);
    expect(tcp.messages[0]).toMatch(/^<1[01][0-9]>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ watchword - (audit|checkpoint) \[watchword@32473 id="/);
    const issued = tcp.messages.find((m) => m.includes('action="code.issued" outcome="success"'));
    expect(issued).toBeDefined();
  });

  it("holds events while a receiver is down and delivers them all, in order, once it is back", async () => {
    await Promise.all([webhook.stop(), tcp.stop(), tlsReceiver.stop()]);
    for (let i = 0; i < 15; i += 1) await admin.getCode(entryId);
    const head = (await storedEvents()).at(-1)!.seq;
    await waitFor("the failure in the delivery state", async () => {
      const { destinations } = await admin.auditDestinations();
      return destinations.filter((d) => d.name !== "udp").every((d) => d.lastError !== null && d.backlog > 0);
    });
    const { destinations } = await admin.auditDestinations();
    const hook = destinations.find((d) => d.name === "hook")!;
    expect(hook).toMatchObject({ transport: "webhook", target: `http://127.0.0.1:${webhook.port}`, headSeq: head });
    expect(hook.lastError).toMatch(/could not be reached|answered HTTP/);
    // UDP has no receiver to miss: it went on delivering.
    await waitFor("UDP up to date", async () => (await admin.auditDestinations()).destinations.find((d) => d.name === "udp")!.deliveredSeq === head);
    await Promise.all([webhook.start(), tcp.start(), tlsReceiver.start()]);
    for (const receiver of receivers) await expectEverythingDelivered(receiver);
    await waitFor("no backlog", async () => (await admin.auditDestinations()).destinations.every((d) => d.backlog === 0 && d.lagSeconds === 0));
    for (const receiver of receivers) expect(receiver.faults).toEqual([]);
  });

  it("keeps the webhook's secret and path out of replies, logs and the database", async () => {
    const reply = await fetch(`${server.url}/api/v1/audit/destinations`, { headers: { authorization: `Bearer ${(admin as unknown as { token: string }).token}` } });
    const text = await reply.text();
    expect(reply.status).toBe(200);
    expect(text).toContain('"name":"hook"');
    const logs = server.logs.join("\n");
    const dump = await dumpDatabase(db);
    for (const planted of [SECRET, PATH_TOKEN]) {
      expect(text).not.toContain(planted);
      expect(logs).not.toContain(planted);
      expect(dump).not.toContain(planted);
      for (const body of webhook.bodies) expect(body).not.toContain(planted);
    }
  });

  it("prints the delivery state with `watchword audit destinations`, as a table and as the API's JSON", async () => {
    const env = cleanEnv({ WATCHWORD_URL: server.url, WATCHWORD_TOKEN: (admin as unknown as { token: string }).token, WATCHWORD_CONFIG: `${db.dataDir}/cli.json` });
    const table = await runCli(["audit", "destinations"], { env });
    expect(table.stderr).toBe("");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME +TARGET +DELIVERED +BACKLOG/);
    expect(table.stdout).toContain(`syslog+tls://127.0.0.1:${tlsReceiver.port}`);
    const json = await runCli(["audit", "destinations", "--json"], { env });
    const reply = JSON.parse(json.stdout) as { destinations: { name: string }[] };
    expect(reply.destinations.map((d) => d.name).sort()).toEqual(["hook", "tcp", "tls", "udp"]);
    expect(table.stdout + json.stdout).not.toContain(PATH_TOKEN);
  });

  it("shows the destinations to administrators only", async () => {
    const member = await signedInClient(server, "mia", "member");
    const auditor = await signedInClient(server, "aldo", "auditor");
    for (const client of [member, auditor]) await expect(client.auditDestinations()).rejects.toMatchObject({ status: 403 });
  });

  it("sends the checkpoint written on shutdown into the stream before stopping", async () => {
    await admin.getCode(entryId);
    const head = (await storedEvents()).at(-1)!.seq;
    await server.close();
    isClosed = true;
    for (const receiver of [webhook, tcp, tlsReceiver, udp]) {
      expect(receiver.records.some((r) => r.type === "audit_checkpoint" && r.seq === head)).toBe(true);
      expect(distinctEvents(receiver.records).at(-1)?.seq).toBe(head);
    }
  });
});
