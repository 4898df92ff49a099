// Invitation and password-reset links by e-mail: a real SMTP server (smtp-server) receives what
// nodemailer sends, and the test reads the delivered message (mailparser). A mail that cannot be
// sent loses nothing: the reply still carries the link, with a warning.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { closedPort, startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PUBLIC_URL = "https://vault.example.com";

describe.each(databaseKinds)("links by e-mail on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let mail: SmtpReceiver;

  beforeAll(async () => {
    mail = await startSmtpReceiver();
    db = await createTestDatabase(kind);
    server = await startTestApp(db, {
      env: { WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${mail.port}`, WATCHWORD_SMTP_FROM: "Watchword <watchword@example.com>", WATCHWORD_PUBLIC_URL: PUBLIC_URL },
    });
    admin = await signedInClient(server, "ada", "admin");
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await mail?.close();
  });

  it("mails the invitation link, at the public address, and the link works", async () => {
    const invited = await admin.inviteUser({ username: "bob", displayName: "Bob Durand", role: "member", email: "bob@example.com" });
    expect(invited).toMatchObject({ mailed: true, warnings: [] });
    expect(invited.link).toMatch(/^https:\/\/vault\.example\.com\/join#token=/);
    expect(mail.inbox).toHaveLength(1);
    const [message] = mail.inbox;
    expect(message).toMatchObject({ from: "watchword@example.com", to: ["bob@example.com"], subject: "You are invited to Watchword" });
    expect(message!.text).toContain(invited.link);
    expect(message!.text).toContain("Hello Bob Durand");
    expect(server.logs.join("")).not.toContain(new URL(invited.link).hash.slice("#token=".length)); // the mail's link is never logged
    const token = new URL(invited.link).hash.replace("#token=", "");
    await server.newClient().acceptInvite({ token, password: "saffron-harbour-kettle-5820" });
    // Nothing was mailed without an address.
    expect((await admin.inviteUser({ username: "nomail", role: "member" })).mailed).toBe(false);
    expect(mail.inbox).toHaveLength(1);
  });

  it("mails a password-reset link in the user's language", async () => {
    const bob = await server.newClient().signIn({ username: "bob", password: "saffron-harbour-kettle-5820", client: "cli" });
    await server.newClient({ token: bob.token! }).updateAccount({ language: "fr" });
    const issued = await admin.issuePasswordReset(bob.session.user.id);
    expect(issued.mailed).toBe(true);
    const message = mail.inbox.at(-1)!;
    expect(message.subject).toBe("Réinitialisez votre mot de passe Watchword");
    expect(message.text).toContain(issued.link);
    expect(message.text).toContain("\u00a0:");
  });

  it("answers with the link and a mail_not_sent warning when the SMTP server cannot be reached", async () => {
    const deadDb = await createTestDatabase(kind);
    const dead = await startTestApp(deadDb, {
      env: { WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`, WATCHWORD_SMTP_FROM: "watchword@example.com", WATCHWORD_PUBLIC_URL: PUBLIC_URL },
    });
    try {
      const otherAdmin = await signedInClient(dead, "ada", "admin");
      const invited = await otherAdmin.inviteUser({ username: "carol", role: "member", email: "carol@example.com" });
      expect(invited.mailed).toBe(false);
      expect(invited.warnings.map((w) => w.key)).toEqual(["mail_not_sent"]);
      expect(invited.warnings[0]!.detail).toMatch(/^The e-mail could not be sent \(.+\); give the person the link yourself\.$/);
      const token = new URL(invited.link).hash.replace("#token=", "");
      expect((await dead.newClient().checkInvite(token)).username).toBe("carol");
    } finally {
      await dead.close();
      await deadDb.drop();
    }
  });
});
