// Access requests by e-mail, with a real SMTP server (smtp-server) reading what nodemailer sends
// (mailparser): approvers are told of a new request and of an emergency use, the requester of the
// decision, each in their own language, with a link to the requests page and never a seed or code.
// An SMTP server that cannot be reached fails nothing: the request is made and a warning logged.
import net from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newGrantId, type EntryId, type UserId } from "../../src/core/ids.js";
import type { GrantPermission } from "../../src/core/policy.js";
import type { WatchwordClient } from "../../src/client/client.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

interface Delivered {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

const PUBLIC_URL = "https://vault.example.com";
const SEED = "KRSXG5CTMVRXEZLUKN2XAZLSONSWG4TF";
const HOUR = 3600;

async function startMailServer(): Promise<{ port: number; inbox: Delivered[]; close(): Promise<void> }> {
  const inbox: Delivered[] = [];
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
  return { port, inbox, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const smtpEnv = (port: number) => ({ WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${port}`, WATCHWORD_SMTP_FROM: "watchword@example.com", WATCHWORD_PUBLIC_URL: PUBLIC_URL });

/** People with an address each: ada (admin), dee (manages the entry), bo (asks, in French), eve (unrelated), cy (auditor), gus (in an approver group), and nomail (admin without an address). */
async function peopleOf(server: TestApp) {
  const clients: Record<string, WatchwordClient> = {};
  const ids: Record<string, UserId> = {};
  const roles = { ada: "admin", dee: "member", bo: "member", eve: "member", cy: "auditor", gus: "member", nomail: "admin" } as const;
  for (const [name, role] of Object.entries(roles)) {
    clients[name] = await signedInClient(server, name, role);
    const user = (await server.vault.store.users.findUserByUsername(name))!;
    ids[name] = user.id;
    if (name !== "nomail") await server.vault.store.users.updateUser(user.id, { email: `${name}@example.com`, language: name === "bo" ? "fr" : "en" }, Date.now());
  }
  return { clients, ids };
}

describe.each(databaseKinds)("access requests by e-mail on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let mail: Awaited<ReturnType<typeof startMailServer>>;
  let people: Awaited<ReturnType<typeof peopleOf>>;

  beforeAll(async () => {
    mail = await startMailServer();
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { env: smtpEnv(mail.port) });
    people = await peopleOf(server);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await mail?.close();
  });

  async function grant(user: string, entryId: string, permission: GrantPermission): Promise<void> {
    await server.vault.store.grants.insertGrant({
      id: newGrantId(),
      principal: { kind: "user", id: people.ids[user]! },
      scope: { kind: "entry", id: entryId as EntryId },
      permission,
      expiresAt: null,
      accessRequestId: null,
      createdBy: people.ids.ada!,
      createdAt: Date.now(),
    });
  }

  /** An entry of ada's that needs an approval, which bo may ask for and dee manages. */
  async function guardedEntry(name: string, emergencyAccess = false): Promise<string> {
    const { entry } = await people.clients.ada!.createEntry({ name, seed: { secret: SEED } });
    await people.clients.ada!.setEntryPolicy(entry.id, { approvalsRequired: 1, emergencyAccess });
    await grant("bo", entry.id, "use");
    await grant("dee", entry.id, "manage");
    return entry.id;
  }

  const recipients = (messages: readonly Delivered[]) => messages.flatMap((m) => m.to).sort();

  it("mails the approvers of a new request, and the requester the decision in French", async () => {
    const entryId = await guardedEntry("Registrar");
    const before = mail.inbox.length;
    const asked = await people.clients.bo!.requestAccess({ entryId, durationSeconds: 2 * HOUR, reason: "Renew the domain, ticket OPS-7" });
    const toApprovers = mail.inbox.slice(before);
    expect(recipients(toApprovers)).toEqual(["ada@example.com", "dee@example.com"]);
    for (const message of toApprovers) {
      expect(message.subject).toBe("Access request for Registrar");
      expect(message.text).toContain(`${PUBLIC_URL}/requests`);
      expect(message.text).toContain("bo");
      expect(message.text).toContain("Renew the domain, ticket OPS-7");
      expect(message.text).not.toContain(SEED);
    }

    const afterAsk = mail.inbox.length;
    await people.clients.ada!.approveAccessRequest(asked.id, {});
    const toRequester = mail.inbox.slice(afterAsk);
    expect(recipients(toRequester)).toEqual(["bo@example.com"]);
    expect(toRequester[0]!.subject).toBe("Demande d’accès approuvée : Registrar".replace(" :", "\u00a0:"));
    expect(toRequester[0]!.text).toContain(`${PUBLIC_URL}/requests`);
    expect(toRequester[0]!.text).toContain("\u00a0:");
    expect(toRequester[0]!.text).not.toContain(SEED);
  });

  it("mails the members of the folder's approver group, and no disabled approver", async () => {
    const ada = people.clients.ada!;
    const group = await ada.createGroup("Finance approvers");
    await ada.addGroupMember(group.id, people.ids.gus!);
    const folder = await ada.createFolder({ name: "Finance" });
    await ada.setFolderApproverGroup(folder.id, group.id);
    const { entry } = await ada.createEntry({ name: "Ledger", seed: { secret: SEED }, folderId: folder.id });
    await ada.setEntryPolicy(entry.id, { approvalsRequired: 1, emergencyAccess: false });
    await grant("bo", entry.id, "use");
    await grant("dee", entry.id, "manage");
    await server.vault.store.users.updateUser(people.ids.dee!, { disabledAt: Date.now() }, Date.now());
    try {
      const before = mail.inbox.length;
      await people.clients.bo!.requestAccess({ entryId: entry.id, durationSeconds: HOUR, reason: "Audit prep" });
      expect(recipients(mail.inbox.slice(before))).toEqual(["ada@example.com", "gus@example.com"]);
    } finally {
      await server.vault.store.users.updateUser(people.ids.dee!, { disabledAt: null }, Date.now());
    }
  });

  it("mails the requester a denial", async () => {
    const entryId = await guardedEntry("Payroll");
    const asked = await people.clients.bo!.requestAccess({ entryId, durationSeconds: HOUR, reason: "Quarter close" });
    const before = mail.inbox.length;
    await people.clients.dee!.denyAccessRequest(asked.id, { comment: "Not this week" });
    const toRequester = mail.inbox.slice(before);
    expect(recipients(toRequester)).toEqual(["bo@example.com"]);
    expect(toRequester[0]!.subject).toBe("Demande d’accès refusée\u00a0: Payroll");
  });

  it("alerts the approvers of an emergency use, without the code", async () => {
    const entryId = await guardedEntry("Bank", true);
    const before = mail.inbox.length;
    const used = await people.clients.bo!.emergencyCode(entryId, "Outage, nobody answers");
    const alerts = mail.inbox.slice(before);
    expect(recipients(alerts)).toEqual(["ada@example.com", "dee@example.com"]);
    for (const message of alerts) {
      expect(message.subject).toBe("Emergency use of Bank");
      expect(message.text).toContain("Outage, nobody answers");
      expect(message.text).toContain(`${PUBLIC_URL}/requests`);
      expect(message.text).not.toContain(used.code);
      expect(message.text).not.toContain(SEED);
    }
  });

  it("makes the request and logs a warning when the SMTP server cannot be reached", async () => {
    const deadDb = await createTestDatabase(kind);
    const dead = await startTestApp(deadDb, { env: smtpEnv(await closedPort()) });
    try {
      const deadPeople = await peopleOf(dead);
      const { entry } = await deadPeople.clients.ada!.createEntry({ name: "Registrar", seed: { secret: SEED } });
      await deadPeople.clients.ada!.setEntryPolicy(entry.id, { approvalsRequired: 1, emergencyAccess: true });
      await dead.vault.store.grants.insertGrant({ id: newGrantId(), principal: { kind: "user", id: deadPeople.ids.bo! }, scope: { kind: "entry", id: entry.id as EntryId }, permission: "use", expiresAt: null, accessRequestId: null, createdBy: deadPeople.ids.ada!, createdAt: Date.now() });
      const asked = await deadPeople.clients.bo!.requestAccess({ entryId: entry.id, durationSeconds: HOUR, reason: "Renew" });
      expect(asked.status).toBe("pending");
      const used = await deadPeople.clients.bo!.emergencyCode(entry.id, "Outage");
      expect(used.code).toMatch(/^\d{6}$/);
      expect((await deadPeople.clients.ada!.approveAccessRequest(asked.id, {})).status).toBe("approved");
      const logs = dead.logs.join("");
      expect(logs).toContain("access request mail not sent");
      expect(logs).not.toContain(SEED);
      expect(logs).not.toContain("@example.com"); // no address in the log
      expect(logs).not.toContain(used.code);
    } finally {
      await dead.close();
      await deadDb.drop();
    }
  });
});
