// The recovery-method panel in Chromium: an e-mail address added from "Sign-in & security", the
// password asked again (sudo mode), the code read from the test's own SMTP server and typed back,
// then only the address's hint shown. Screenshots for people (test-results/screenshots/recovery-method-*).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
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
    await panel.getByTestId("recovery-method-send").click();
    // Sudo mode: the password again, then the code goes out.
    await panel.getByTestId("recovery-method-password").fill(PASSWORD);
    await panel.getByTestId("recovery-method-password-submit").click();
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
});
