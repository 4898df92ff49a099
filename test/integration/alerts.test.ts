// Alerts with real receivers: an SMTP server (smtp-server) reading the alert mail in the
// recipient's language, and an HTTP server taking the Slack-shaped payload (checked field by
// field), the Teams card and the signed webhook (its signature recomputed). A receiver that is
// down gets the alert once it is back; a subscriber who lost access is told nothing; no code,
// seed, recovery code, signing secret or Slack token appears in an alert, a reply, a log line or
// the database. Hostile subscriptions are refused with catalogued problems and store nothing.
import { createHmac } from "node:crypto";
import http from "node:http";
import type net from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { newGrantId, type EntryId, type UserId } from "../../src/core/ids.js";
import { rejection } from "../support/api-rejection.js";
import { dumpEveryTable, readSqliteFiles } from "../support/database-dump.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

/** The parts of Block Kit and Adaptive Card JSON the tests read. */
interface SlackText {
  readonly type: string;
  readonly text: string;
}
interface SlackBlock {
  readonly type: string;
  readonly text: SlackText;
  readonly fields: SlackText[];
  readonly elements: SlackText[];
}
interface Card {
  readonly type: string;
  readonly version: string;
  readonly body: { readonly type: string; readonly text?: string; readonly facts: { readonly title: string; readonly value: string }[] }[];
  readonly actions: unknown[];
}

const PUBLIC_URL = "https://vault.example.com";
const SEED = "KRSXG5CTMVRXEZLUKN2XAZLSONSWG4TF";
const RECOVERY = ["PLANTED-RECOVERY-1111", "PLANTED-RECOVERY-2222"];
const SLACK_TOKEN = "SLACKTOKENplanted7f3e9a";

interface Mail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

async function startMailServer() {
  const inbox: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? "", text: mail.text ?? "" });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  return { port, inbox, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** An HTTP receiver on a fixed port that can be stopped and started again, like a webhook endpoint going down. */
async function startReceiver() {
  const received: Received[] = [];
  let server: http.Server | undefined;
  let port = 0;
  const listen = async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        response.writeHead(200, { "content-type": "text/plain" }).end("ok");
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  };
  await listen();
  return {
    received,
    get port() {
      return port;
    },
    start: listen,
    stop: () => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))),
  };
}

async function eventually<T>(read: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(databaseKinds)("alerts on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let mail: Awaited<ReturnType<typeof startMailServer>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const clients: Record<string, WatchwordClient> = {};
  const ids: Record<string, UserId> = {};
  const codesSeen: string[] = [];
  const secretsSeen: string[] = [];

  beforeAll(async () => {
    mail = await startMailServer();
    receiver = await startReceiver();
    db = await createTestDatabase(kind);
    server = await startTestApp(db, {
      env: { WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${mail.port}`, WATCHWORD_SMTP_FROM: "watchword@example.com", WATCHWORD_PUBLIC_URL: PUBLIC_URL, WATCHWORD_ALERT_PRIVATE_TARGETS: "true" },
      alertDelivery: { pollMs: 100, retryBaseMs: 200, maxRetryMs: 400 },
    });
    const roles = { ada: "admin", bo: "member", dee: "member", eve: "member", nomail: "member" } as const;
    for (const [name, role] of Object.entries(roles)) {
      clients[name] = await signedInClient(server, name, role);
      const user = (await server.vault.store.users.findUserByUsername(name))!;
      ids[name] = user.id;
      if (name !== "nomail") await server.vault.store.users.updateUser(user.id, { email: `${name}@example.com`, language: name === "bo" ? "fr" : "en" }, Date.now());
    }
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await mail?.close();
    await receiver?.stop();
  });

  async function grant(user: string, entryId: string, permission: "use" | "recover" | "manage"): Promise<string> {
    const id = newGrantId();
    await server.vault.store.grants.insertGrant({ id, principal: { kind: "user", id: ids[user]! }, scope: { kind: "entry", id: entryId as EntryId }, permission, expiresAt: null, accessRequestId: null, createdBy: ids.ada!, createdAt: Date.now() });
    return id;
  }

  async function entry(name: string): Promise<string> {
    const { entry: created } = await clients.ada!.createEntry({ name, seed: { secret: SEED }, recoveryCodes: RECOVERY });
    return created.id;
  }

  async function code(client: WatchwordClient, entryId: string): Promise<string> {
    const reply = await client.getCode(entryId);
    codesSeen.push(reply.code);
    return reply.code;
  }

  const hook = (name: string) => `http://127.0.0.1:${receiver.port}/${name}/T000/B000/${SLACK_TOKEN}`;
  const arrivals = (path: string) => receiver.received.filter((r) => r.path.startsWith(path));

  it("mails a watcher in their own language when a code is handed out, without the code", async () => {
    const entryId = await entry("Registrar");
    await grant("bo", entryId, "use");
    const created = await clients.bo!.createAlert(entryId, { events: ["code_issued"], channel: "email" });
    expect(created.signingSecret).toBeNull();
    expect(created.subscription).toMatchObject({ channel: "email", events: ["code_issued"], target: null, isMine: true, user: { id: ids.bo, hasEmail: true } });

    const before = mail.inbox.length;
    const handedOut = await code(clients.ada!, entryId);
    const message = await eventually(() => mail.inbox.slice(before).find((m) => m.to.includes("bo@example.com")), "the alert mail");
    expect(message.subject).toBe("Code remis\u00a0: Registrar");
    expect(message.text).toContain("Bonjour bo,");
    expect(message.text).toContain("ada a obtenu un code de «\u00a0Registrar\u00a0».");
    expect(message.text).toContain(`${PUBLIC_URL}/entries/${entryId}`);
    expect(message.text).not.toContain(handedOut);
    expect(message.text).not.toContain(SEED);

    // Only the watched kind: a recovery code revealed sends nothing to bo.
    const count = mail.inbox.length;
    await clients.ada!.revealNextRecoveryCode(entryId, "planted reason");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(mail.inbox.length).toBe(count);
  });

  it("posts a Slack message, checked field by field, for a recovery code revealed", async () => {
    const entryId = await entry("AWS <root>");
    await clients.ada!.createAlert(entryId, { events: ["recovery_code_revealed"], channel: "slack", target: hook("slack") });
    await clients.ada!.revealNextRecoveryCode(entryId, "Break-glass drill, ticket OPS-9");
    const arrived = await eventually(() => arrivals("/slack/").at(-1), "the Slack message");
    expect(arrived.path).toBe(`/slack/T000/B000/${SLACK_TOKEN}`);
    expect(arrived.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(arrived.body) as { text: string; blocks: SlackBlock[] };
    expect(Object.keys(body).sort()).toEqual(["blocks", "text"]);
    expect(body.text).toBe(`ada revealed a recovery code of "AWS &lt;root&gt;". ${PUBLIC_URL}/entries/${entryId}`);
    const [header, section, reason, actions, context] = body.blocks;
    expect(body.blocks).toHaveLength(5);
    expect(header).toEqual({ type: "header", text: { type: "plain_text", text: "Recovery code revealed: AWS <root>", emoji: false } });
    expect(section!.type).toBe("section");
    expect(section!.text).toEqual({ type: "mrkdwn", text: 'ada revealed a recovery code of "AWS &lt;root&gt;".' });
    expect(section!.fields).toHaveLength(4);
    expect(section!.fields[0]!).toEqual({ type: "mrkdwn", text: "*Entry*\nAWS &lt;root&gt;" });
    expect(section!.fields[1]!).toEqual({ type: "mrkdwn", text: "*By*\nada" });
    expect(section!.fields[2]!.type).toBe("mrkdwn");
    expect(section!.fields[2]!.text).toMatch(/^\*When\*\n\d{1,2} \w+ \d{4} at \d\d:\d\d:\d\d UTC$/);
    expect(section!.fields[3]!).toEqual({ type: "mrkdwn", text: "*Through*\nthe API" });
    expect(reason).toEqual({ type: "section", text: { type: "mrkdwn", text: "*Reason*\nBreak-glass drill, ticket OPS-9" } });
    expect(actions).toEqual({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in Watchword", emoji: false }, url: `${PUBLIC_URL}/entries/${entryId}`, action_id: "open_in_watchword" }] });
    expect(context!.type).toBe("context");
    expect(context!.elements[0]!.text).toBe(`Watchword · ${arrived.headers["watchword-event-id"]}`);
    for (const planted of [...RECOVERY, SEED]) expect(arrived.body).not.toContain(planted);
  });

  it("posts a Teams Adaptive Card when the seed is overwritten", async () => {
    const entryId = await entry("Bank portal");
    await clients.ada!.createAlert(entryId, { events: ["seed_overwritten"], channel: "teams", target: hook("teams") });
    await clients.ada!.overwriteSeed(entryId, { secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" });
    const arrived = await eventually(() => arrivals("/teams/").at(-1), "the Teams card");
    const body = JSON.parse(arrived.body) as { type: string; attachments: { contentType: string; contentUrl: null; content: Card & Record<string, unknown> }[] };
    expect(body.type).toBe("message");
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(body.attachments[0]!.contentUrl).toBeNull();
    const card = body.attachments[0]!.content;
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.4", $schema: "http://adaptivecards.io/schemas/adaptive-card.json" });
    expect(card.body[0]!).toMatchObject({ type: "TextBlock", text: "Seed overwritten: Bank portal", weight: "Bolder" });
    expect(card.body[2]!.facts.slice(0, 2)).toEqual([
      { title: "Entry", value: "Bank portal" },
      { title: "By", value: "ada" },
    ]);
    expect(card.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in Watchword", url: `${PUBLIC_URL}/entries/${entryId}` }]);
    expect(arrived.body).not.toContain("JBSWY3DPEHPK3PXP");
  });

  it("signs the webhook with HMAC-SHA256 over the timestamp and body, under the secret shown once", async () => {
    const entryId = await entry("Vendor console");
    await grant("bo", entryId, "use");
    const created = await clients.ada!.createAlert(entryId, { events: ["code_issued", "access_requested"], channel: "webhook", target: hook("webhook") });
    const secret = created.signingSecret!;
    secretsSeen.push(secret);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.subscription.target).toBe(`http://127.0.0.1:${receiver.port}`);
    // Shown once: the list never carries it.
    expect(JSON.stringify(await clients.ada!.listAlerts(entryId))).not.toContain(secret);

    const before = arrivals("/webhook/").length;
    await code(clients.bo!, entryId);
    const arrived = await eventually(() => arrivals("/webhook/")[before], "the webhook");
    // Signed as SIEM webhooks are: Watchword-Timestamp, and Watchword-Signature v1=HMAC-SHA256("<timestamp>.<body>").
    const t = String(arrived.headers["watchword-timestamp"]);
    const [, v1] = /^v1=([0-9a-f]{64})$/.exec(String(arrived.headers["watchword-signature"])) ?? [];
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
    expect(v1).toBe(createHmac("sha256", secret).update(`${t}.${arrived.body}`).digest("hex"));
    // A receiver holding another secret, or reading a changed body, refuses it.
    expect(v1).not.toBe(createHmac("sha256", "whsec_other").update(`${t}.${arrived.body}`).digest("hex"));
    const body = JSON.parse(arrived.body) as Record<string, unknown>;
    expect(body).toMatchObject({ type: "watchword.alert.v1", kind: "code_issued", actor: { type: "user", name: "bo" }, target: { kind: "entry", id: entryId, name: "Vendor console" }, channel: "api", link: `${PUBLIC_URL}/entries/${entryId}` });
    expect(arrived.headers["watchword-event-id"]).toBe(body.eventId);
    const events = await server.vault.store.auditEvents.listAuditEvents({ entryId, limit: 50 });
    expect(events.some((e) => e.id === body.eventId && e.action === "code.issued")).toBe(true);
  });

  it("keeps the alert while the receiver is down and delivers it once it is back", async () => {
    const entryId = await entry("Payroll");
    const created = await clients.ada!.createAlert(entryId, { events: ["code_issued"], channel: "webhook", target: hook("outage") });
    secretsSeen.push(created.signingSecret!);
    await receiver.stop();
    try {
      await code(clients.ada!, entryId);
      const waiting = await eventually(async () => {
        const [alert] = (await clients.ada!.listAlerts(entryId)).subscriptions;
        return alert !== undefined && alert.delivery.lastError !== null ? alert : undefined;
      }, "a failed attempt");
      expect(waiting.delivery).toMatchObject({ waiting: 1, delivered: 0, failed: 0 });
      expect(waiting.delivery.lastError).toMatch(/^the receiver could not be reached \(ECONNREFUSED\)$/);
      expect(arrivals("/outage/")).toHaveLength(0);
    } finally {
      await receiver.start();
    }
    await eventually(() => (arrivals("/outage/").length > 0 ? true : undefined), "the delayed webhook");
    // The receiver has it before the deliverer records it as delivered: the state follows a moment later.
    const after = await eventually(async () => {
      const [subscription] = (await clients.ada!.listAlerts(entryId)).subscriptions;
      return subscription!.delivery.waiting === 0 ? subscription : undefined;
    }, "the delivery recorded");
    expect(after.delivery).toMatchObject({ waiting: 0, delivered: 1, failed: 0, lastError: null });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(arrivals("/outage/")).toHaveLength(1);
  });

  it("tells a watcher nothing once they may no longer see the entry, and nothing after unsubscribing", async () => {
    const entryId = await entry("Registrar 2");
    const grantId = await grant("dee", entryId, "use");
    const created = await clients.ada!.createAlert(entryId, { userId: ids.dee, events: ["code_issued"], channel: "email" });
    expect(created.subscription).toMatchObject({ isMine: false, user: { id: ids.dee } });
    // dee sees her own alert, made by the owner.
    expect((await clients.dee!.listAlerts(entryId)).subscriptions.map((s) => s.id)).toEqual([created.subscription.id]);
    await server.vault.store.grants.revokeGrant(grantId as never, ids.ada!, Date.now());
    const before = mail.inbox.length;
    await code(clients.ada!, entryId);
    const dropped = (line: string) => line.includes(created.subscription.id) && line.includes('"outcome":"dropped"');
    await eventually(() => (server.logs.some(dropped) ? true : undefined), "the dropped alert");
    expect((await clients.ada!.listAlerts(entryId)).subscriptions[0]!.delivery).toMatchObject({ waiting: 0, delivered: 0 });
    expect(mail.inbox.slice(before).filter((m) => m.to.includes("dee@example.com"))).toHaveLength(0);

    await clients.ada!.deleteAlert(entryId, created.subscription.id);
    expect((await clients.ada!.listAlerts(entryId)).subscriptions).toEqual([]);
    expect((await rejection(clients.ada!.deleteAlert(entryId, created.subscription.id))).key).toBe("alert_subscription_not_found");
  });

  it("lets only managers add watchers, hides others' alerts, and 404s those who may not see the entry", async () => {
    const entryId = await entry("Shared console");
    await grant("bo", entryId, "use");
    await grant("dee", entryId, "manage");
    const mine = await clients.bo!.createAlert(entryId, { events: ["seed_overwritten"], channel: "email" });
    const boList = await clients.bo!.listAlerts(entryId);
    expect(boList.canManageWatchers).toBe(false);

    const forbidden = await rejection(clients.bo!.createAlert(entryId, { userId: ids.dee, events: ["code_issued"], channel: "email" }));
    expect([forbidden.status, forbidden.key]).toEqual([403, "alert_watchers_forbidden"]);
    const managed = await clients.dee!.createAlert(entryId, { userId: ids.bo, events: ["code_issued"], channel: "slack", target: hook("managed") });
    expect((await clients.dee!.listAlerts(entryId)).subscriptions.map((s) => s.id)).toEqual([mine.subscription.id, managed.subscription.id]);
    // bo may remove his own, not dee's own; eve sees no entry at all.
    const own = await clients.dee!.createAlert(entryId, { events: ["code_issued"], channel: "email" });
    expect((await rejection(clients.bo!.deleteAlert(entryId, own.subscription.id))).key).toBe("alert_subscription_not_found");
    // Each call starts only when awaited: a second one rejecting while the first is awaited would go unhandled.
    for (const call of [() => clients.eve!.listAlerts(entryId), () => clients.eve!.createAlert(entryId, { events: ["code_issued"], channel: "email" })]) {
      const refused = await rejection(call());
      expect([refused.status, refused.key]).toEqual([404, "entry_not_found"]);
    }
    const cannotSee = await rejection(clients.dee!.createAlert(entryId, { userId: ids.eve, events: ["code_issued"], channel: "email" }));
    expect([cannotSee.status, cannotSee.key]).toEqual([400, "alert_watcher_cannot_see"]);
  });

  it("alerts a folder's watcher of a code from any entry in it and of a request for the whole folder", async () => {
    const folder = await clients.ada!.createFolder({ name: "Finance" });
    const { entry: inFolder } = await clients.ada!.createEntry({ name: "Bank", folderId: folder.id, seed: { secret: SEED } });
    // eve may see nothing in the folder: 404, as for an entry.
    expect((await rejection(clients.eve!.listFolderAlerts(folder.id))).key).toBe("folder_not_found");
    const created = await clients.ada!.createFolderAlert(folder.id, { events: ["code_issued", "access_requested"], channel: "slack", target: hook("folder") });
    expect(created.subscription.scope).toEqual({ kind: "folder", id: folder.id });
    await code(clients.ada!, inFolder.id);
    const first = await eventually(() => arrivals("/folder/")[0], "the folder's code alert");
    expect(JSON.parse(first.body).blocks[0].text.text).toBe("Code handed out: Bank");
    await clients.eve!.requestAccess({ folderId: folder.id, durationSeconds: 3600, reason: "Quarter close" });
    const second = await eventually(() => arrivals("/folder/")[1], "the folder's request alert");
    const blocks = (JSON.parse(second.body) as { blocks: SlackBlock[] }).blocks;
    expect(blocks[0]!.text.text).toBe("Access requested: Finance");
    expect(blocks[1]!.fields[0]).toEqual({ type: "mrkdwn", text: "*Folder*\nFinance" });
    expect(blocks[2]!.text.text).toBe("*Reason*\nQuarter close");
  });

  it("refuses hostile subscriptions with catalogued problems, storing nothing", async () => {
    const entryId = await entry("Hostile");
    const count = async () => (await server.vault.store.alertSubscriptions.listSubscriptions({ kind: "entry", id: entryId as EntryId })).length;
    const cases: [Parameters<WatchwordClient["createAlert"]>[1], number, string][] = [
      [{ events: ["code_issued"], channel: "webhook", target: "ftp://example.com/hook" }, 400, "alert_target_scheme"],
      [{ events: ["code_issued"], channel: "webhook", target: "javascript:alert(1)" }, 400, "alert_target_scheme"],
      [{ events: ["code_issued"], channel: "webhook", target: "file:///etc/passwd" }, 400, "alert_target_scheme"],
      [{ events: ["code_issued"], channel: "webhook", target: "not a url" }, 400, "alert_target_not_url"],
      [{ events: ["code_issued"], channel: "slack", target: "http://hooks.slack.com/services/T/B/x" }, 400, "alert_target_needs_https"],
      [{ events: ["code_issued"], channel: "webhook", target: "https://user:pw@example.com/" }, 400, "alert_target_credentials"],
      [{ events: ["code_issued"], channel: "webhook", target: `https://example.com/${"a".repeat(3000)}` }, 400, "alert_target_too_long"],
      [{ events: ["code_issued"], channel: "webhook", target: `https://example.com/${"a".repeat(5000)}` }, 400, "field_too_long"],
      [{ events: ["code_issued"], channel: "webhook" }, 400, "alert_target_required"],
      [{ events: ["code_issued"], channel: "email", target: "https://example.com/" }, 400, "alert_target_not_expected"],
      [{ events: ["entry.deleted"], channel: "email" }, 400, "alert_event_unknown"],
      [{ events: [], channel: "email" }, 400, "field_too_few_items"],
      [{ events: Array.from({ length: 11 }, () => "code_issued"), channel: "email" }, 400, "field_too_many_items"],
      [{ events: ["code_issued"], channel: "pigeon" as never }, 400, "field_not_allowed"],
      [{ events: ["code_issued"], channel: "email", extra: 1 } as never, 400, "field_not_expected"],
      [{ events: ["code_issued"], channel: "email", userId: "00000000-0000-4000-8000-000000000000" }, 400, "alert_watcher_unknown"],
    ];
    for (const [request, status, key] of cases) {
      const refused = await rejection(clients.ada!.createAlert(entryId, request));
      expect([refused.status, refused.key], JSON.stringify(request).slice(0, 120)).toEqual([status, key]);
    }
    const noMail = await rejection(clients.nomail!.createAlert(entryId, { events: ["code_issued"], channel: "email" }));
    expect(noMail.key).toBe("entry_not_found");
    await grant("nomail", entryId, "use");
    expect((await rejection(clients.nomail!.createAlert(entryId, { events: ["code_issued"], channel: "email" }))).key).toBe("alert_email_missing");
    await clients.ada!.createAlert(entryId, { events: ["code_issued"], channel: "email" });
    const twice = await rejection(clients.ada!.createAlert(entryId, { events: ["seed_overwritten"], channel: "email" }));
    expect([twice.status, twice.key]).toEqual([409, "alert_subscription_exists"]);
    expect(await count()).toBe(1);
  });

  it("alerts each watcher once from one batch of codes across folders, entries and unwatched ones", async () => {
    // The producer reads the folders and subscriptions of a whole batch at once: each event must
    // still go to the watchers of its own entry and of the folder the entry is in now, and no other.
    const [watched, other] = [await clients.ada!.createFolder({ name: "Batch watched" }), await clients.ada!.createFolder({ name: "Batch other" })];
    const inWatched = (await clients.ada!.createEntry({ name: "Batch in watched folder", folderId: watched.id, seed: { secret: SEED } })).entry;
    await clients.ada!.createEntry({ name: "Batch in other folder", folderId: other.id, seed: { secret: SEED } });
    const looseWatched = await entry("Batch loose watched");
    await entry("Batch loose unwatched");
    await clients.ada!.createFolderAlert(watched.id, { events: ["code_issued"], channel: "slack", target: hook("batch-folder") });
    await clients.ada!.createAlert(looseWatched, { events: ["code_issued"], channel: "slack", target: hook("batch-entry") });
    const batch = await clients.ada!.batchCodes();
    expect(batch.codes.map((c) => c.entryId)).toEqual(expect.arrayContaining([inWatched.id, looseWatched]));
    const titleOf = (body: string) => (JSON.parse(body) as { blocks: SlackBlock[] }).blocks[0]!.text.text;
    expect(titleOf((await eventually(() => arrivals("/batch-folder/")[0], "the folder's alert")).body)).toBe("Code handed out: Batch in watched folder");
    expect(titleOf((await eventually(() => arrivals("/batch-entry/")[0], "the entry's alert")).body)).toBe("Code handed out: Batch loose watched");
    // Nothing else arrives for them (the deliverer polls every 100 ms).
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(arrivals("/batch-folder/")).toHaveLength(1);
    expect(arrivals("/batch-entry/")).toHaveLength(1);
  });

  it("never lets a code, seed, recovery code, signing secret or Slack token reach the logs or the database in the clear", async () => {
    const logs = server.logs.join("\n");
    const dump = (await dumpEveryTable(db)) + (await readSqliteFiles(db));
    for (const secret of [...secretsSeen, SLACK_TOKEN, SEED, ...RECOVERY]) {
      expect(logs, "logs").not.toContain(secret);
      expect(dump.includes(secret), `database: ${secret.slice(0, 8)}`).toBe(false);
    }
    const everyAlert = receiver.received.map((r) => r.body).join("\n") + mail.inbox.map((m) => m.subject + m.text).join("\n");
    for (const handedOut of codesSeen) expect(everyAlert).not.toContain(handedOut);
    for (const secret of [...secretsSeen, SEED, ...RECOVERY]) expect(everyAlert).not.toContain(secret);
  });
});

describe("alert targets on private addresses, not allowed (the default)", () => {
  let db: TestDatabase;
  let server: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let ada: WatchwordClient;
  // A name of this machine that resolves to a loopback or private address: typed, it looks public.
  let privateName: string | undefined;

  beforeAll(async () => {
    const { hostname } = await import("node:os");
    const { lookup } = await import("node:dns/promises");
    const { isPublicAddress } = await import("../../src/core/alerts.js");
    const addresses = await lookup(hostname(), { all: true }).catch(() => []);
    privateName = addresses.length > 0 && addresses.every((a) => !isPublicAddress(a.address)) ? hostname() : undefined;
    receiver = await startReceiver();
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { env: { WATCHWORD_PUBLIC_URL: PUBLIC_URL }, alertDelivery: { pollMs: 100, retryBaseMs: 200, maxRetryMs: 400 } });
    ada = await signedInClient(server, "ada", "admin");
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await receiver?.stop();
  });

  it("refuses a private address as typed, and one a name resolves to when the alert is sent", async (context) => {
    const { entry } = await ada.createEntry({ name: "Internal", seed: { secret: SEED } });
    for (const target of [`http://127.0.0.1:${receiver.port}/x`, `http://localhost:${receiver.port}/x`, "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://10.0.0.8/x"]) {
      const refused = await rejection(ada.createAlert(entry.id, { events: ["code_issued"], channel: "webhook", target }));
      expect([refused.status, refused.key], target).toEqual([400, "alert_target_private"]);
    }
    if (privateName === undefined) return context.skip();
    await ada.createAlert(entry.id, { events: ["code_issued"], channel: "webhook", target: `http://${privateName}:${receiver.port}/rebound` });
    await ada.getCode(entry.id);
    const [alert] = await eventually(async () => {
      const list = (await ada.listAlerts(entry.id)).subscriptions;
      return list[0]?.delivery.lastError === null ? undefined : list;
    }, "the refused delivery");
    expect(alert!.delivery.lastError).toBe("the receiver could not be reached (ENOTPUBLIC)");
    expect(receiver.received).toHaveLength(0);
  });
});
