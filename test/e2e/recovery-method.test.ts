// The recovery-method panel in Chromium: an e-mail address added from "Sign-in & security", the
// password asked again in the shared re-authentication dialog (sudo mode), the code read from the test's own SMTP server and typed back,
// then only the address's hint shown; and the recovery of lost factors from the second step of a
// sign-in, approved by an administrator, finished on "Sign-in & security". Screenshots for people (test-results/screenshots/recovery-method-*).
import * as OTPAuth from "otpauth";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { withRawDatabase } from "../support/raw-database.js";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const ADDRESS = "ria.recovery@example.org";

describe.skipIf(!hasChromium)("the recovery-method panel in Chromium", () => {
  let db: TestDatabase;
  let server: TestApp;
  let smtp: SmtpReceiver;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { env: { WATCHWORD_PUBLIC_URL: "http://127.0.0.1:8080", WATCHWORD_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, WATCHWORD_SMTP_FROM: "Watchword <watchword@example.com>" } });
    await signedInClient(server, "ria", "member");
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
    await smtp?.close();
  });

  it("adds an e-mail address confirmed by the code mailed to it (en-light)", async () => {
    const page = await signInAs(browser, server.url, { username: "ria", password: PASSWORD }, { colorScheme: "light", locale: "en-US", width: 1280 });
    const errors: string[] = [];
    recordPageErrors(page, errors);
    await page.goto(`${server.url}/account/security`);
    const panel = page.getByTestId("recovery-method");
    await expect.poll(() => panel.getByTestId("recovery-method-current").textContent()).toBe("No recovery method yet.");
    await panel.getByTestId("recovery-method-edit").click();
    await panel.getByTestId("recovery-address").fill(ADDRESS);
    // The sudo window the sign-in opened has passed (as 10 minutes later), behind the server's back.
    await withRawDatabase(db, (raw) => sql`update sessions set reauthenticated_at = null`.execute(raw));
    await panel.getByTestId("recovery-method-send").click();
    // Sudo mode, asked by the shared dialog: the password again, then the code goes out by itself.
    const sudo = page.getByTestId("sudo-dialog");
    await sudo.getByTestId("sudo-password").waitFor();
    expect(smtp.inbox.filter((m) => m.to.includes(ADDRESS))).toHaveLength(0);
    await screenshot(page, "recovery-method-sudo-en-light");
    await sudo.getByLabel("Password").fill(PASSWORD);
    await sudo.getByRole("button", { name: "Confirm" }).click();
    await panel.getByTestId("recovery-method-code-form").waitFor();
    await expect.poll(() => smtp.inbox.filter((m) => m.to.includes(ADDRESS)).length).toBe(1);
    const code = /\b(\d{6})\b/.exec(smtp.inbox.at(-1)!.text)![1]!;
    await screenshot(page, "recovery-method-code-en-light");

    // A wrong code first: said next to the field, nothing saved.
    await panel.getByTestId("recovery-method-code").fill(code === "000000" ? "111111" : "000000");
    await panel.getByTestId("recovery-method-confirm").click();
    await expect.poll(() => panel.getByText("This code is not correct (4 attempts left).").count()).toBe(1);
    await panel.getByTestId("recovery-method-code").fill(`${code.slice(0, 3)} ${code.slice(3)}`);
    await panel.getByTestId("recovery-method-confirm").click();
    await expect.poll(() => panel.getByTestId("recovery-method-notice").textContent()).toBe("Recovery method saved.");
    const current = await panel.getByTestId("recovery-method-current").textContent();
    expect(current).toContain("r•••@e•••.org (e-mail)");
    expect(await page.content()).not.toContain(ADDRESS);
    await screenshot(page, "recovery-method-saved-en-light");
    // The browser notes the two refusals the panel answered (403 sudo mode first, 400 the wrong code), and nothing else.
    expect(errors.filter((e) => !/status of (403|400)/.test(e))).toEqual([]);
    expect(errors).toHaveLength(2);
  });

  it("recovers lost factors from the second step of a sign-in once an administrator approves (en-light)", async () => {
    // ria (whose recovery method the test above added) now has an authenticator app, and lost it.
    const api = await signedInClient(server, "ria", "member");
    await api.reauthenticate({ password: PASSWORD });
    const enrolment = await api.startTotpEnrolment();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.manualKey.replaceAll(" ", "")), digits: 6, period: 30 });
    await api.confirmTotpEnrolment(enrolment.factorId, { code: totp.generate() });

    const context = await browser.newContext({ locale: "en-US", colorScheme: "light", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Username").fill("ria");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("second-step-lost").click();
    const flow = page.getByTestId("recovery-sign-in");
    await flow.getByTestId("recovery-send").click();
    await flow.getByTestId("recovery-code-form").waitFor();
    await expect.poll(() => smtp.inbox.filter((m) => m.subject === "Your Watchword recovery code").length).toBe(1);
    const code = /\b(\d{6})\b/.exec(smtp.inbox.at(-1)!.text)![1]!;
    await flow.getByTestId("recovery-code").fill(code);
    await flow.getByTestId("recovery-confirm").click();
    await flow.getByTestId("recovery-pending").waitFor();
    await screenshot(page, "recovery-sign-in-pending-en-light");

    const admin = await signedInClient(server, "ada", "admin");
    const [recovery] = (await admin.listAccountRecoveries()).recoveries;
    await admin.approveAccountRecovery(recovery!.id);
    // Back, and the lost-factor link again: the recovery is ready now.
    await flow.getByRole("button", { name: "Back to the code" }).click();
    await page.getByTestId("second-step-lost").click();
    await page.getByTestId("recovery-ready").waitFor();
    await screenshot(page, "recovery-sign-in-ready-en-light");
    await page.getByTestId("recovery-finish").click();
    await page.getByTestId("security-page").waitFor();
    await expect.poll(() => page.getByTestId("two-step").textContent()).toContain("Off");
    expect((await api.listFactors().catch((error: unknown) => error)) instanceof Error).toBe(true);
    await context.close();
  });
});
