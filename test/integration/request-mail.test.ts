// Access requests by e-mail, with a real SMTP server (smtp-server) reading what nodemailer sends
// (mailparser): approvers are told of a new request and of an emergency use, the requester of the
// decision, each in their own language, with a link to the requests page and never a seed or code.
// An SMTP server that cannot be reached fails nothing: the request is made and a warning logged;
// one that accepts the connection and never answers delays no reply (mails go after the commit).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newGrantId, type EntryId, type UserId } from "../../src/core/ids.js";
import type { GrantPermission } from "../../src/core/policy.js";
import type { WatchwordClient } from "../../src/client/client.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { closedPort, startSmtpBlackhole, startSmtpReceiver, type DeliveredMail, type SmtpReceiver } from "../support/smtp-receiver.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PUBLIC_URL = "https://vault.example.com";
const SEED = "KRSXG5CTMVRXEZLUKN2XAZLSONSWG4TF";
const HOUR = 3600;

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
  let mail: SmtpReceiver;
  let people: Awaited<ReturnType<typeof peopleOf>>;

  beforeAll(async () => {
    mail = await startSmtpReceiver();
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

  const recipients = (messages: readonly DeliveredMail[]) => messages.flatMap((m) => m.to).sort();

  it("mails the approvers of a new request, and the requester the decision in French", async () => {
    const entryId = await guardedEntry("Registrar");
    const before = mail.inbox.length;
    const asked = await people.clients.bo!.requestAccess({ entryId, durationSeconds: 2 * HOUR, reason: "Renew the domain, ticket OPS-7" });
    await server.app.notificationsSettled();
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
    await server.app.notificationsSettled();
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
      await server.app.notificationsSettled();
      expect(recipients(mail.inbox.slice(before))).toEqual(["ada@example.com", "gus@example.com"]);
    } finally {
      await server.vault.store.users.updateUser(people.ids.dee!, { disabledAt: null }, Date.now());
    }
  });

  it("mails the requester a denial", async () => {
    const entryId = await guardedEntry("Payroll");
    const asked = await people.clients.bo!.requestAccess({ entryId, durationSeconds: HOUR, reason: "Quarter close" });
    await server.app.notificationsSettled();
    const before = mail.inbox.length;
    await people.clients.dee!.denyAccessRequest(asked.id, { comment: "Not this week" });
    await server.app.notificationsSettled();
    const toRequester = mail.inbox.slice(before);
    expect(recipients(toRequester)).toEqual(["bo@example.com"]);
    expect(toRequester[0]!.subject).toBe("Demande d’accès refusée\u00a0: Payroll");
  });

  it("alerts the approvers of an emergency use, without the code", async () => {
    const entryId = await guardedEntry("Bank", true);
    const before = mail.inbox.length;
    const used = await people.clients.bo!.emergencyCode(entryId, "Outage, nobody answers");
    await server.app.notificationsSettled();
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
      await dead.app.notificationsSettled();
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
  it("answers at once when the SMTP server accepts the connection and never speaks; the mail is a logged warning", async () => {
    const blackhole = await startSmtpBlackhole();
    const slowDb = await createTestDatabase(kind);
    const slow = await startTestApp(slowDb, { env: smtpEnv(blackhole.port) });
    try {
      const slowPeople = await peopleOf(slow);
      const { entry } = await slowPeople.clients.ada!.createEntry({ name: "Registrar", seed: { secret: SEED } });
      await slowPeople.clients.ada!.setEntryPolicy(entry.id, { approvalsRequired: 1, emergencyAccess: true });
      await slow.vault.store.grants.insertGrant({ id: newGrantId(), principal: { kind: "user", id: slowPeople.ids.bo! }, scope: { kind: "entry", id: entry.id as EntryId }, permission: "use", expiresAt: null, accessRequestId: null, createdBy: slowPeople.ids.ada!, createdAt: Date.now() });
      // nodemailer waits 10 s for a greeting: a reply that waited for the mail would take that long.
      const timed = async <T>(work: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        const result = await work();
        expect(performance.now() - started).toBeLessThan(2000);
        return result;
      };
      const asked = await timed(() => slowPeople.clients.bo!.requestAccess({ entryId: entry.id, durationSeconds: HOUR, reason: "Renew" }));
      expect(asked.status).toBe("pending");
      expect((await timed(() => slowPeople.clients.bo!.emergencyCode(entry.id, "Outage"))).code).toMatch(/^\d{6}$/);
      expect((await timed(() => slowPeople.clients.ada!.approveAccessRequest(asked.id, {}))).status).toBe("approved");
      // The mails were attempted: the blackhole holds their connections, unanswered.
      await expect.poll(() => blackhole.connections(), { timeout: 5000 }).toBeGreaterThan(0);
      await blackhole.close(); // the hung connections drop: each mail fails and is logged
      await slow.app.notificationsSettled();
      const logs = slow.logs.join("");
      expect(logs).toContain("access request mail not sent");
      expect(logs).not.toContain("@example.com");
    } finally {
      await slow.close();
      await slowDb.drop();
      await blackhole.close();
    }
  });
});
