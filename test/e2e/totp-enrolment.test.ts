// Sign-in & security in Chromium, as a person goes through it: recovery codes made, then
// "Two-step verification → Configure": straight to the QR code in the sudo window the sign-in
// opened, and once it has passed the shared re-authentication dialog first; the QR code read back from a screenshot of
// the page with zxing (the decoder imports use) and answered with oathtool's code; signing in
// again asks for the second step, refuses the code already used (and says so), takes the next one;
// a recovery code signs in too, and the page then counts one code fewer. The server's clock is a
// ManualClock, moved one TOTP step where the test needs the next code. Screenshots of every page
// and form of the security page and of the second step (test-results/screenshots/security-* and
// second-step-*): English light on a desktop, French dark on a phone; axe on each.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { decodeQrImage } from "../../src/core/intake/qr-image.js";
import { expectNoAxeViolations } from "../support/axe.js";
import { hasChromium, launchChromium, recordPageErrors, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const PASSWORD = "plum-orbit-lantern-4417"; // what signedInClient gives its users
const STEP_MS = 30_000;

const VIEWS: readonly (BrowserView & { readonly name: string; readonly user: string })[] = [
  // Two views cover both languages, both themes and both widths: each view is a whole enrolment
  // and sign-in story (~16 s), and the CI run has a 40-minute cap.
  { name: "en-light", user: "ada", colorScheme: "light", locale: "en-US", width: 1280 },
  { name: "fr-dark-phone", user: "lea", colorScheme: "dark", locale: "fr-FR", width: 390 },
];

/** The words the test reads and clicks, in the page's language. */
const WORDS = {
  en: {
    username: "Username",
    password: "Password",
    signIn: "Sign in",
    signOut: "Sign out",
    yourPassword: "Your password",
    confirm: "Confirm",
    cancel: "Cancel",
    saved: "I have saved these codes",
    replayed: "This code was already used. Wait for the next code in your authenticator app and enter that one.",
    wrongCode: "This code is not correct. Check that the app shows the Watchword account you just added, and the time on your phone.",
    on: /^On: /,
    left: /^9 of 10 codes left, made /,
    useRecovery: "Use a recovery code instead",
    phone: (user: string) => `${user}’s phone`,
    rename: (name: string) => `Rename ${name}`,
    remove: (name: string) => `Remove ${name}`,
  },
  fr: {
    username: "Nom d’utilisateur",
    password: "Mot de passe",
    signIn: "Se connecter",
    signOut: "Se déconnecter",
    yourPassword: "Votre mot de passe",
    confirm: "Confirmer",
    cancel: "Annuler",
    saved: "J’ai enregistré ces codes",
    replayed: "Ce code a déjà été utilisé. Attendez le code suivant dans votre application d’authentification et saisissez-le.",
    wrongCode: "Ce code n’est pas correct. Vérifiez que l’application affiche le compte Watchword que vous venez d’ajouter, et l’heure de votre téléphone.",
    on: /^Activée\u00a0: /,
    left: /^9 codes restants sur 10, créés le /,
    useRecovery: "Utiliser plutôt un code de récupération",
    phone: (user: string) => `Téléphone de ${user}`,
    rename: (name: string) => `Renommer ${name}`,
    remove: (name: string) => `Supprimer ${name}`,
  },
} as const;

describe.skipIf(!hasChromium || !hasOathtool)("Sign-in & security: an authenticator app and recovery codes, in Chromium", () => {
  const clock = new ManualClock(Date.now());
  let db: TestDatabase;
  let server: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db, { clock });
    for (const view of VIEWS) await signedInClient(server, view.user, "member");
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  /** oathtool's code for `secret` at the server's time. */
  const oathtoolCode = (secret: string): string => runOathtool("--totp", "-b", "-N", `@${Math.floor(clock.now() / 1000)}`, secret);
  const settled = (page: Page) => page.evaluate("document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => r(undefined))))");

  for (const view of VIEWS) {
    it(`adds an authenticator app from its QR code, signs in with it, refuses a replayed code and signs in with a recovery code (${view.name})`, async () => {
      const words = view.locale.startsWith("fr") ? WORDS.fr : WORDS.en;
      const errors: string[] = [];
      const shoot = async (page: Page, what: string): Promise<void> => {
        await settled(page);
        // The outermost elements that stick out past the screen's right edge, named by test id or tag and class (empty: it fits).
        const overflowing = await page.evaluate(
          "[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !(e.parentElement.getBoundingClientRect().right > window.innerWidth + 1)).slice(0, 3).map((e) => (e.dataset.testid ?? e.tagName.toLowerCase() + '.' + e.className) + ' ' + Math.round(e.getBoundingClientRect().width))",
        );
        expect(overflowing, `${what} fits the screen (${view.name})`).toEqual([]);
        await screenshot(page, `${what}-${view.name}`);
        await expectNoAxeViolations(page, `${what} (${view.name})`);
      };

      const page = await signInAs(browser, server.url, { username: view.user, password: PASSWORD }, view);
      recordPageErrors(page, errors);
      await page.getByTestId("user-menu-button").click();
      await page.getByTestId("security-menu-link").click();
      const twoStep = page.getByTestId("two-step");
      await twoStep.getByTestId("configure-two-step").waitFor();
      await page.getByTestId("account-recovery-codes").getByTestId("recovery-codes-start").waitFor();
      await shoot(page, "security-page");

      // Recovery codes first (the wizard's own step comes with another change): made, shown once.
      const codesPanel = page.getByTestId("account-recovery-codes");
      await codesPanel.getByTestId("recovery-codes-start").click();
      await codesPanel.getByTestId("recovery-codes-submit").click(); // in the sudo mode the sign-in opened: no password asked
      const shown = codesPanel.getByTestId("recovery-codes-shown");
      await shown.waitFor();
      const recoveryCodes = (await shown.getByTestId("recovery-codes-list").locator("code").allTextContents()).map((code) => code.trim());
      expect(recoveryCodes).toHaveLength(10);
      await shoot(page, "security-recovery-codes-shown");
      await shown.getByLabel(words.saved).check();
      await shown.getByTestId("recovery-codes-done").click();

      // Configure in the sudo window the sign-in opened: the authenticator app at once, no password.
      const sudo = page.getByTestId("sudo-dialog");
      await twoStep.getByTestId("configure-two-step").click();
      const qr = twoStep.getByTestId("totp-qr");
      await qr.waitFor();
      expect(await sudo.getByTestId("sudo-form").count()).toBe(0);
      await twoStep.getByTestId("app-step").getByRole("button", { name: words.cancel }).click();
      // Once the window has passed, the shared re-authentication dialog asks first (the password:
      // no second factor yet), and the wizard goes on after it.
      clock.advance(11 * 60_000);
      await twoStep.getByTestId("configure-two-step").click();
      await sudo.getByTestId("sudo-password").waitFor();
      await shoot(page, "security-configure-sudo");
      await sudo.getByLabel(words.password).fill(PASSWORD);
      await sudo.getByRole("button", { name: words.confirm }).click();
      await qr.waitFor();
      await expect.poll(() => qr.evaluate((image) => (image as unknown as { complete: boolean; naturalWidth: number }).complete && (image as unknown as { naturalWidth: number }).naturalWidth > 0)).toBe(true);

      // What a phone's camera sees: the QR code as drawn on the screen, decoded by zxing.
      const [uri] = await decodeQrImage(new Uint8Array(await qr.screenshot()));
      const link = new URL(uri!);
      expect(link.protocol).toBe("otpauth:");
      expect(link.host).toBe("totp");
      expect(decodeURIComponent(link.pathname)).toBe(`/Watchword:${view.user}`);
      expect(link.searchParams.get("issuer")).toBe("Watchword");
      const secret = link.searchParams.get("secret")!;
      // The key for typing by hand is the same key, in groups of four.
      const manualKey = (await twoStep.getByTestId("totp-key").textContent())!;
      expect(manualKey).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
      expect(manualKey.replace(/ /g, "")).toBe(secret.replace(/=+$/, ""));
      await shoot(page, "security-configure-app");

      // A wrong first code: said next to the field, nothing turned on.
      const code = oathtoolCode(secret);
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
      await twoStep.getByTestId("totp-confirm-code").fill(wrong);
      await twoStep.getByTestId("totp-confirm").click();
      await expect.poll(() => twoStep.getByTestId("totp-confirm-code").getAttribute("aria-invalid")).toBe("true");
      expect(await twoStep.getByTestId("app-step").getByText(words.wrongCode).count()).toBe(1);
      expect(await twoStep.getByTestId("factor").count()).toBe(0);
      await shoot(page, "security-configure-app-wrong-code");
      await twoStep.getByTestId("totp-confirm-code").fill(code);
      await twoStep.getByTestId("totp-confirm").click();
      await twoStep.getByTestId("two-step-done").waitFor();
      await expect.poll(() => twoStep.getByTestId("two-step-status").textContent()).toMatch(words.on);
      await expect.poll(() => twoStep.getByTestId("factor").count()).toBe(1);
      await shoot(page, "security-configure-done");

      // Renaming the app: its own small form.
      const factorName = (await twoStep.getByTestId("factor-name").textContent())!;
      await twoStep.getByRole("button", { name: words.rename(factorName) }).click();
      await twoStep.getByTestId("factor").getByRole("textbox").fill(words.phone(view.user));
      await shoot(page, "security-factor-rename");
      await twoStep.getByTestId("factor").getByRole("button", { name: view.locale.startsWith("fr") ? "Enregistrer" : "Save" }).click();
      await expect.poll(() => twoStep.getByTestId("factor-name").textContent()).toBe(words.phone(view.user));

      // Adding a passkey starts with its own form (the browser's dialog is passkeys.test.ts's).
      await page.getByTestId("passkey-add").click();
      await page.getByTestId("passkey-add-form").waitFor();
      await shoot(page, "security-passkey-add");

      // Signing in again: the password, then the second step.
      await page.getByTestId("user-menu-button").click();
      await page.getByTestId("user-menu").getByRole("button", { name: words.signOut }).click();
      await page.waitForURL(/\/sign-in/);
      const signInWithPassword = async (): Promise<void> => {
        await page.getByLabel(words.username).fill(view.user);
        await page.getByLabel(words.password, { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: words.signIn }).click();
        await page.getByTestId("second-step-form").waitFor();
      };
      await signInWithPassword();
      await shoot(page, "second-step");
      // The code that turned the app on, again in the same time step: refused, and said so.
      await page.getByTestId("second-step-code").fill(code);
      await page.getByTestId("second-step-form").getByRole("button", { name: view.locale.startsWith("fr") ? "Vérifier" : "Verify" }).click();
      await expect.poll(() => page.getByTestId("second-step-form").getByText(words.replayed).count()).toBe(1);
      await shoot(page, "second-step-replayed");
      // The next step's code signs in.
      clock.advance(STEP_MS);
      await page.getByTestId("second-step-code").fill(oathtoolCode(secret));
      await page.getByTestId("second-step-form").getByRole("button", { name: view.locale.startsWith("fr") ? "Vérifier" : "Verify" }).click();
      await continuePastNotices(page, shoot);

      // A recovery code signs in in place of the app; the page then counts one fewer.
      await page.getByTestId("user-menu-button").click();
      await page.getByTestId("user-menu").getByRole("button", { name: words.signOut }).click();
      await page.waitForURL(/\/sign-in/);
      await signInWithPassword();
      await page.getByRole("button", { name: words.useRecovery }).click();
      await page.getByTestId("second-step-code").fill(recoveryCodes[3]!);
      await shoot(page, "second-step-recovery-code");
      await page.getByTestId("second-step-form").getByRole("button", { name: view.locale.startsWith("fr") ? "Vérifier" : "Verify" }).click();
      await continuePastNotices(page, shoot);
      await page.goto(`${server.url}/account/security`);
      await expect.poll(() => page.getByTestId("recovery-codes-status").textContent()).toMatch(words.left);
      await expect.poll(() => page.getByTestId("factor").count()).toBe(1);
      await shoot(page, "security-page-two-step-on");

      // Removing the app asks through the same dialog, for the password and then a code (the app is
      // a second factor now), once the window the sign-in opened has passed; cancelled, nothing goes.
      clock.advance(11 * 60_000);
      await page.getByRole("button", { name: words.remove(words.phone(view.user)) }).click();
      await sudo.getByLabel(words.password).fill(PASSWORD);
      await sudo.getByRole("button", { name: words.confirm }).click();
      await sudo.getByTestId("sudo-code").waitFor();
      await shoot(page, "security-reauthenticate-with-code");
      await sudo.getByRole("button", { name: words.cancel }).click();
      await expect.poll(() => sudo.getByTestId("sudo-form").count()).toBe(0);
      await page.getByTestId("factors-error").waitFor();
      expect(await page.getByTestId("factor").count()).toBe(1);

      // The browser logs the refused replies (the wrong and replayed codes) itself; nothing else may go wrong.
      expect(errors.filter((e) => !/status of (400|401|403|409|422|429)/.test(e))).toEqual([]);
      await page.context().close();
    }, 120_000);
  }
});

/** After the second step: the entries page, or first the notice of failed attempts since the last sign-in. */
async function continuePastNotices(page: Page, shoot: (page: Page, what: string) => Promise<void>): Promise<void> {
  const notice = page.getByTestId("failed-sign-ins");
  await page.getByTestId("entries-page").or(notice).first().waitFor();
  if (await notice.isVisible()) {
    await shoot(page, "second-step-failed-attempts-notice");
    await page.getByTestId("failed-sign-ins-continue").click();
    await page.getByTestId("entries-page").waitFor();
  }
}
