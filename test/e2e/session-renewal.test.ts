// A new session id at every privilege change, in Chromium: a member whose role an administrator
// changes keeps working in the open page, under a new session cookie (the old one refused), and
// their next state change goes through with the CSRF token that came with it; so does the next
// one after they change their own password.
import { describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/server/authentication.js";
import { hasChromium } from "../support/browser.js";
import { useServedVault } from "../support/served-vault.js";
import { signedInApiClient } from "../support/admin-authenticator.js";

const PASSWORD = "harbour-lichen-quartz-27";
const NEW_PASSWORD = "meadow-ember-falcon-9043";

describe.skipIf(!hasChromium)("session renewal in Chromium", () => {
  const vault = useServedVault("renewal", [{ username: "ada", role: "admin" }, { username: "bob", role: "member" }], PASSWORD);

  it("renews the session cookie after a role change and after an own password change; the page keeps working", async () => {
    const page = await vault.signIn("bob", { colorScheme: "light", locale: "en-US", width: 1280 });
    const sessionCookie = async (): Promise<string> => (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE)?.value ?? "";
    const statusWith = async (cookie: string): Promise<number> => (await fetch(`${vault.server.url}/api/v1/session`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } })).status;
    const saveDisplayName = async (name: string): Promise<void> => {
      await page.getByLabel("Display name").fill(name);
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByTestId("profile-saved").waitFor();
      await expect.poll(() => page.getByTestId("user-menu-button").textContent()).toContain(name.split(" ").map((word) => word[0]).join(""));
    };
    const first = await sessionCookie();
    expect(first).not.toBe("");

    // Others exist: the administrator signs in with the test authenticator (admin-authenticator.ts).
    const admin = await signedInApiClient(vault.server.url, "ada", PASSWORD);
    const bob = (await admin.listUsers()).users.find((u) => u.username === "bob")!;
    await admin.changeRole(bob.id, "auditor");

    await page.goto(`${vault.server.url}/account`);
    await page.getByTestId("profile-form").waitFor();
    await expect.poll(sessionCookie).not.toBe(first);
    const second = await sessionCookie();
    expect(await statusWith(first)).toBe(401);
    await saveDisplayName("Bob Renewed");

    await page.getByTestId("security-link").click();
    await page.getByTestId("account-password").waitFor();
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByLabel("Confirm password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByTestId("password-changed").waitFor();
    const third = await sessionCookie();
    expect(third).not.toBe(second);
    expect(await statusWith(second)).toBe(401);
    await page.getByTestId("back-to-account").click();
    await saveDisplayName("Bob Again");
    expect(await statusWith(third)).toBe(200);
    await page.context().close();
  });
});
