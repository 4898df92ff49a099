// A known browser signing in after others failed to sign in to the account (issue 7): the person
// is told how many failed, in their language, before going on (at each such sign-in, while the
// failures stay counted); the failures never stop this browser.
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { SESSION_COOKIE } from "../../src/server/authentication.js";
import { rejection } from "../support/api-rejection.js";
import { hasChromium, screenshot } from "../support/browser.js";
import { useServedVault } from "../support/served-vault.js";

const PASSWORD = "lantern-basalt-orchard-52";
const NBSP = "\u00a0";

describe.skipIf(!hasChromium)("sign-in after failed sign-ins from elsewhere, in Chromium", () => {
  const vault = useServedVault("sign-in", [{ username: "bea", role: "member" }], PASSWORD);

  it("tells a known browser, in French, how many sign-ins failed elsewhere, then goes on", async () => {
    // The browser signs in once, so it holds a device token for bea; then its session ends.
    const page = await vault.signIn("bea", { colorScheme: "light", locale: "fr-FR", width: 1280 });
    await page.context().clearCookies({ name: SESSION_COOKIE });
    // Two clients that never signed in to bea get her password wrong.
    for (const attempt of ["wrong-one", "wrong-two"]) expect((await rejection(createClient({ baseUrl: vault.server.url }).signIn({ username: "bea", password: attempt }))).status).toBe(401);

    await page.goto(`${vault.server.url}/sign-in`);
    await page.getByLabel("Nom d’utilisateur").fill("bea");
    await page.getByLabel("Mot de passe").fill(PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    const notice = page.getByTestId("failed-sign-ins");
    await notice.waitFor();
    expect((await notice.getByRole("alert").textContent())?.trim()).toBe(
      `2 connexions à votre compte ont échoué depuis des navigateurs ou des CLI qui ne s’y étaient jamais connectés. Si cela continue, votre compte leur sera fermé${NBSP}; ce navigateur n’est pas concerné.`,
    );
    await screenshot(page, "sign-in-failed-elsewhere-fr");
    await page.getByTestId("failed-sign-ins-continue").click();
    await page.getByTestId("entries-page").waitFor();
  });
});
