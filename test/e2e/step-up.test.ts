// Step-up before a code, in Chromium: a member with an authenticator app opens an entry that asks
// for a fresh second factor before each code; "Show code" opens a dialog that asks for the app's
// code (a wrong one is refused in words), and once it is accepted the code shows, and it is the
// one oathtool computes. Screenshots in English (light) and French (dark, phone width). Breaking
// the glass and revealing a recovery code of such an entry ask in the same dialog. Then the
// administrators' rule: a member it names without a factor is led to enrolment, and the rule's panel.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { signedInApiClient } from "../support/admin-authenticator.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { expectOathtoolCode, hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView, settleAnimations } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";

const PASSWORD = "saffron-glacier-outpost-88";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const EN_LIGHT: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const FR_DARK_PHONE: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 375 };

/** The user's authenticator-app code `steps` time steps from now (±1 is accepted, each step once). */
const appCode = (seed: string, steps: number): string => runOathtool("--totp", "-b", "-N", `@${Math.floor(Date.now() / 1000) + steps * 30}`, seed);

/** Waits for a new time step when fewer than `seconds` are left of this one, so that a flow of three steps (-1, 0, +1) fits. */
async function roomInStep(seconds: number): Promise<void> {
  const left = 30 - ((Date.now() / 1000) % 30);
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
}

describe.skipIf(!hasChromium || !hasOathtool)("step-up before a code, in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let admin: WatchwordClient;
  const seeds = new Map<string, string>();
  const pageErrors: string[] = [];
  const ids = { payroll: "", mail: "" };

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-step-up-"));
    for (const [username, role] of [["ada", "admin"], ["mia", "member"], ["noa", "member"], ["oli", "member"], ["lea", "member"], ["max", "member"]]) {
      await runCli(["user", "add", username!, "--role", role!, "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    }
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    admin = await signedInApiClient(server.url, "ada", PASSWORD);
    const { entry } = await admin.createEntry({ name: "AWS root", issuer: "Amazon", account: "root@acme.example", seed: { secret: SEED } });
    await admin.setEntryPolicy(entry.id, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
    const users = (await admin.listUsers()).users;
    for (const username of ["mia", "noa"]) {
      await admin.createGrant({ principal: { kind: "user", id: users.find((u) => u.username === username)!.id }, scope: { kind: "entry", id: entry.id }, permission: "use" });
    }
    // Lea may break the glass of Payroll (it needs an approval); Max may only recover Root mail.
    ids.payroll = (await admin.createEntry({ name: "Payroll", seed: { secret: SEED } })).entry.id;
    await admin.setEntryPolicy(ids.payroll, { approvalsRequired: 1, emergencyAccess: true, stepUpRequired: true });
    await admin.createGrant({ principal: { kind: "user", id: users.find((u) => u.username === "lea")!.id }, scope: { kind: "entry", id: ids.payroll }, permission: "use" });
    ids.mail = (await admin.createEntry({ name: "Root mail", seed: { secret: SEED }, recoveryCodes: ["RCV-1111-AAAA", "RCV-2222-BBBB"] })).entry.id;
    await admin.setEntryPolicy(ids.mail, { approvalsRequired: 0, emergencyAccess: false, stepUpRequired: true });
    await admin.createGrant({ principal: { kind: "user", id: users.find((u) => u.username === "max")!.id }, scope: { kind: "entry", id: ids.mail }, permission: "recover" });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** Enrols an authenticator app over the API, confirmed with the previous step's code (so the next two steps are left for the browser). */
  async function enrol(username: string): Promise<void> {
    const signedIn = await createClient({ baseUrl: server.url }).signIn({ username, password: PASSWORD, client: "cli" });
    const user = createClient({ baseUrl: server.url, token: signedIn.token! });
    await user.reauthenticate({ password: PASSWORD });
    const enrolment = await user.startTotpEnrolment();
    const seed = enrolment.manualKey.replaceAll(" ", "");
    seeds.set(username, seed);
    await user.confirmTotpEnrolment(enrolment.factorId, { code: appCode(seed, -1), name: "Phone" });
  }

  async function signInWithApp(username: string, view: BrowserView): Promise<Page> {
    const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: view.width, height: 900 } });
    const page = await context.newPage();
    recordPageErrors(page, pageErrors);
    const isFrench = view.locale.startsWith("fr");
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel(isFrench ? "Nom d’utilisateur" : "Username").fill(username);
    await page.getByLabel(isFrench ? "Mot de passe" : "Password").fill(PASSWORD);
    await page.getByRole("button", { name: isFrench ? "Se connecter" : "Sign in" }).click();
    await page.getByTestId("second-step-code").fill(appCode(seeds.get(username)!, 0));
    await page.getByTestId("second-step-code").press("Enter");
    await page.getByTestId("entries-page").waitFor();
    return page;
  }

  it("asks for the app's code in a dialog, then shows the code (English)", async () => {
    await roomInStep(15);
    await enrol("mia");
    const page = await signInWithApp("mia", EN_LIGHT);
    await page.getByTestId("show-code").click();
    const dialog = page.getByTestId("step-up-dialog");
    await dialog.getByTestId("step-up-code").waitFor();
    await expect.poll(() => dialog.textContent()).toContain("“AWS root” asks for a fresh second factor before each code.");
    await expectNoAxeViolations(page, "the step-up dialog");
    await screenshot(page, "step-up-dialog-en-light");
    await dialog.getByTestId("step-up-code").fill(appCode(seeds.get("mia")!, 1));
    await dialog.getByTestId("step-up-submit").click();
    await expectOathtoolCode(page, page.getByTestId("entry-code"), SEED);
    await screenshot(page, "step-up-code-en-light");
  });

  it("says a wrong code in words, then shows the code (French, dark, phone)", async () => {
    await roomInStep(15);
    await enrol("noa");
    const page = await signInWithApp("noa", FR_DARK_PHONE);
    await page.getByTestId("show-code").click();
    const dialog = page.getByTestId("step-up-dialog");
    const good = appCode(seeds.get("noa")!, 1);
    await dialog.getByTestId("step-up-code").fill(good === "000000" ? "111111" : "000000");
    await dialog.getByTestId("step-up-submit").click();
    await expect.poll(() => dialog.textContent()).toContain("Ce code n’est pas correct.");
    await screenshot(page, "step-up-dialog-wrong-fr-dark-phone");
    await dialog.getByTestId("step-up-code").fill(good);
    await dialog.getByTestId("step-up-submit").click();
    await expectOathtoolCode(page, page.getByTestId("entry-code"), SEED);
    await screenshot(page, "step-up-code-fr-dark-phone");
    // The only errors are the refusals this story asks for: the code before the step-up, the wrong code.
    expect(pageErrors.filter((error) => !/status of (403|400) .*\/api\/v1\/entries\/[0-9a-f-]+\/(code|step-up)\)$/.test(error))).toEqual([]);
  });

  it("asks in the same dialog before a break-glass code and before a recovery code (English)", async () => {
    await roomInStep(15);
    await enrol("lea");
    const lea = await signInWithApp("lea", EN_LIGHT);
    await lea.goto(`${server.url}/entries/${ids.payroll}`);
    await lea.getByTestId("break-glass").click();
    const emergencyForm = lea.getByTestId("emergency-form");
    await emergencyForm.getByTestId("reason").fill("Payroll run is stuck");
    await emergencyForm.getByRole("button", { name: "Break glass and show the code" }).click();
    const dialog = lea.locator("[data-testid=step-up-dialog][open]");
    await expect.poll(() => dialog.textContent()).toContain("“Payroll” asks for a fresh second factor before each code.");
    // Closed, the form says why there is no code; asked again, the dialog comes back.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await emergencyForm.getByText("This entry asks for a fresh second factor before each code").waitFor();
    await emergencyForm.getByRole("button", { name: "Break glass and show the code" }).click();
    await dialog.getByTestId("step-up-code").fill(appCode(seeds.get("lea")!, 1));
    await dialog.getByTestId("step-up-submit").click();
    await expectOathtoolCode(lea, lea.getByTestId("emergency-code").getByTestId("emergency-code-digits"), SEED);

    await roomInStep(15);
    await enrol("max");
    const max = await signInWithApp("max", EN_LIGHT);
    await max.goto(`${server.url}/entries/${ids.mail}`);
    const recovery = max.getByTestId("recovery-panel");
    await recovery.getByTestId("reveal-next-recovery").click();
    await recovery.getByTestId("recovery-reason").getByRole("textbox").fill("Lost the phone");
    await recovery.getByTestId("recovery-reason").getByRole("button", { name: "Reveal next code" }).click();
    const maxDialog = max.locator("[data-testid=step-up-dialog][open]");
    await expect.poll(() => maxDialog.textContent()).toContain("“Root mail” asks for a fresh second factor before each code.");
    await settleAnimations(max);
    await screenshot(max, "step-up-recovery-code-en-light");
    await maxDialog.getByTestId("step-up-code").fill(appCode(seeds.get("max")!, 1));
    await maxDialog.getByTestId("step-up-submit").click();
    expect(await recovery.getByTestId("revealed-value").textContent()).toContain("RCV-1111-AAAA");
    await expect.poll(() => maxDialog.count()).toBe(0);
  });

  it("leads a user the administrators' rule names to enrolment first; the rule's panel (English)", async () => {
    // Ada, an administrator, enrolled the test authenticator at her first sign-in (beforeAll); the rule asks her for the app she has.
    await admin.setMfaEnforcement({ scope: "everyone", methods: ["totp"] });
    const context = await browser.newContext({ locale: EN_LIGHT.locale, colorScheme: EN_LIGHT.colorScheme, viewport: { width: EN_LIGHT.width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Username").fill("oli");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("enrolment-required").waitFor();
    expect(new URL(page.url()).pathname).toBe("/account/security");
    await screenshot(page, "enrolment-required-en-light");
    await page.goto(`${server.url}/`);
    await page.getByTestId("enrolment-required").waitFor();
    expect(new URL(page.url()).pathname).toBe("/account/security");

    const adminPage = await signInAs(browser, server.url, { username: "ada", password: PASSWORD }, EN_LIGHT);
    recordPageErrors(adminPage, pageErrors);
    await adminPage.goto(`${server.url}/admin/two-step`);
    await adminPage.getByTestId("mfa-enforcement-form").waitFor();
    await expect.poll(() => adminPage.getByTestId("mfa-scope-everyone").isChecked()).toBe(true);
    await expectNoAxeViolations(adminPage, "the two-step verification rule");
    await screenshot(adminPage, "mfa-enforcement-en-light");
  });
});
