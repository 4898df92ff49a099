// Templates in a real browser: an administrator defines "Bank portal" (a customer number, a PIN
// and an OTP seed), adds an entry with it, and reveals the PIN on the entry's page; a member is
// told the templates page is for administrators.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { signedInApiClient } from "../support/admin-authenticator.js";
import { hasChromium, screenshot, type BrowserView } from "../support/browser.js";
import { useServedVault } from "../support/served-vault.js";

const PASSWORD = "saffron-glacier-outpost-88";
const SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PIN = "4417-amber-fox";

describe.skipIf(!hasChromium)("templates in Chromium", () => {
  const vault = useServedVault("templates", [{ username: "ada", role: "admin" }, { username: "bob", role: "member" }], PASSWORD);

  const signIn = (username: string, view: BrowserView): Promise<Page> => vault.signIn(username, view);

  const rows = (page: Page) => page.getByTestId("template-field-row");

  it("defines a template with typed fields, checking keys before sending", async () => {
    const page = await signIn("ada", { colorScheme: "light", locale: "en-US", width: 1280 });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Templates" }).click();
    await page.getByTestId("templates-page").waitFor();
    // The built-in templates are listed and marked.
    await expect.poll(() => page.getByTestId("template-card").count()).toBe(3);
    expect(await page.getByTestId("template-card").filter({ hasText: "Built in" }).count()).toBe(3);

    await page.getByTestId("new-template").click();
    await page.getByTestId("template-name").fill("Bank portal");
    await rows(page).nth(0).getByTestId("template-field-label").fill("Customer number");
    expect(await rows(page).nth(0).getByTestId("template-field-key").inputValue()).toBe("customer_number");
    await rows(page).nth(0).getByTestId("template-field-required").check();

    await page.getByTestId("add-template-field").click();
    await rows(page).nth(1).getByTestId("template-field-label").fill("OTP seed");
    await rows(page).nth(1).getByTestId("template-field-type").selectOption("otp");
    await page.getByTestId("add-template-field").click();
    await rows(page).nth(2).getByTestId("template-field-label").fill("PIN");
    await rows(page).nth(2).getByTestId("template-field-type").selectOption("secret");
    await rows(page).nth(2).getByTestId("template-field-required").check();
    // PIN goes above the seed.
    await rows(page).nth(2).getByRole("button", { name: "Move “PIN” up" }).click();
    expect(await rows(page).nth(1).getByTestId("template-field-label").inputValue()).toBe("PIN");

    // A key typed by hand that another field already has is caught before sending.
    await rows(page).nth(1).getByTestId("template-field-key").fill("customer_number");
    await page.getByTestId("create-template").click();
    await expect.poll(() => rows(page).nth(1).getByText("Another field already has this key.").count()).toBe(1);
    await screenshot(page, "template-form-error-en-light");
    await rows(page).nth(1).getByTestId("template-field-key").fill("pin");
    await page.getByTestId("create-template").click();

    await page.getByTestId("template-created").waitFor();
    expect(await page.getByTestId("template-created").textContent()).toContain("Bank portal");
    const card = page.getByTestId("template-card").filter({ hasText: "Bank portal" });
    expect(await card.textContent()).toMatch(/Customer number.*customer_number.*Text.*Required.*PIN.*pin.*Secret.*Required.*OTP seed.*otp_seed.*OTP seed.*Optional/);
    await screenshot(page, "templates-en-light");

    const api = await signedInApiClient(vault.server.url, "ada", PASSWORD);
    const template = (await api.listTemplates()).templates.find((candidate) => candidate.name === "Bank portal");
    expect(template?.fields).toEqual([
      { key: "customer_number", label: "Customer number", type: "text", required: true },
      { key: "pin", label: "PIN", type: "secret", required: true },
      { key: "otp_seed", label: "OTP seed", type: "otp", required: false },
    ]);
  });

  it("adds an entry with the template and reveals its PIN with a reason", async () => {
    const page = await signIn("ada", { colorScheme: "light", locale: "en-US", width: 1280 });
    await page.getByTestId("add-entry").click();
    const dialog = page.getByTestId("add-entry-dialog");
    await dialog.getByTestId("template-select").selectOption({ label: "Bank portal" });
    await dialog.getByLabel("Name").fill("Acme Bank");
    // The required fields are asked for before anything is sent.
    await page.getByTestId("confirm-add").click();
    await expect.poll(() => dialog.getByText("Fill in this field: the template requires it.").count()).toBe(2);
    await dialog.getByTestId("template-value-customer_number").fill("CN-20931");
    await dialog.getByTestId("template-value-pin").fill(PIN);
    expect(await dialog.getByTestId("template-value-pin").getAttribute("type")).toBe("password");
    await dialog.getByRole("button", { name: "Show PIN" }).click();
    expect(await dialog.getByTestId("template-value-pin").getAttribute("type")).toBe("text");
    await dialog.getByTestId("setup-key").fill(SEED);
    await screenshot(page, "add-entry-template-en-light");
    await page.getByTestId("confirm-add").click();
    await page.getByTestId("entry-added").waitFor();

    await page.getByTestId("entry-name").filter({ hasText: "Acme Bank" }).click();
    await page.getByTestId("entry-page").waitFor();
    await page.getByTestId("code-panel").getByTestId("show-code").click();
    const code = page.getByTestId("code-panel").getByTestId("entry-code");
    await expect.poll(async () => (await code.textContent())?.replace(/\s/g, "") ?? "", { timeout: 10_000 }).toMatch(/^\d{6}$/);
    const details = page.getByTestId("details-panel");
    await expect.poll(() => details.textContent()).toContain("CN-20931");
    expect(await details.textContent()).toContain("Bank portal");

    const pin = page.getByTestId("secret-field-pin");
    await pin.getByRole("button", { name: "Reveal PIN" }).click();
    await pin.getByTestId("reason").fill("Ticket OPS-1142: customer call");
    await pin.getByRole("button", { name: "Reveal" }).click();
    await pin.getByTestId("revealed-value").waitFor();
    expect(await pin.locator(".revealed__value").textContent()).toBe(PIN);
    await screenshot(page, "entry-detail-template-en-light");
  });

  it("fills a template's fields on the Link tab too, and offers there only templates with an OTP seed", async () => {
    const page = await signIn("ada", { colorScheme: "light", locale: "en-US", width: 1280 });
    await page.getByTestId("add-entry").click();
    const dialog = page.getByTestId("add-entry-dialog");
    await dialog.getByTestId("tab-link").click();
    const offered = await dialog.getByTestId("template-select").locator("option").allTextContents();
    expect(offered).toContain("Web app with OTP");
    expect(offered).toContain("Bank portal");
    expect(offered).not.toContain("Recovery codes only");
    await dialog.getByTestId("template-select").selectOption({ label: "Bank portal" });
    await dialog.getByTestId("otpauth-uri").fill(`otpauth://totp/Globex%20Bank:ops?secret=${SEED}&issuer=Globex%20Bank`);
    await page.getByTestId("confirm-add").click();
    await expect.poll(() => dialog.getByText("Fill in this field: the template requires it.").count()).toBe(2);
    await dialog.getByTestId("template-value-customer_number").fill("CN-77120");
    await dialog.getByTestId("template-value-pin").fill(PIN);
    await screenshot(page, "add-entry-link-template-en-light");
    await page.getByTestId("confirm-add").click();
    await page.getByTestId("entry-added").waitFor();

    await page.getByTestId("entry-name").filter({ hasText: "Globex Bank" }).click();
    await page.getByTestId("entry-page").waitFor();
    const details = page.getByTestId("details-panel");
    await expect.poll(() => details.textContent()).toContain("CN-77120");
    expect(await details.textContent()).toContain("Bank portal");
    await page.getByTestId("code-panel").getByTestId("show-code").click();
    const code = page.getByTestId("code-panel").getByTestId("entry-code");
    await expect.poll(async () => (await code.textContent())?.replace(/\s/g, "") ?? "", { timeout: 10_000 }).toMatch(/^\d{6}$/);
  });

  it("looks finished in French, dark, at phone width", async () => {
    const page = await signIn("ada", { colorScheme: "dark", locale: "fr-FR", width: 375 });
    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Modèles" }).click();
    await page.getByTestId("templates-page").waitFor();
    await page.getByTestId("template-card").filter({ hasText: "Bank portal" }).waitFor();
    expect(await page.getByTestId("template-card").filter({ hasText: "Application web avec OTP" }).textContent()).toContain("Mot de passe");
    await screenshot(page, "templates-fr-dark-phone");

    await page.getByTestId("new-template").click();
    await page.getByTestId("template-name").fill("Portail fournisseur");
    await rows(page).nth(0).getByTestId("template-field-label").fill("Numéro de contrat");
    expect(await rows(page).nth(0).getByTestId("template-field-key").inputValue()).toBe("numero_de_contrat");
    await page.getByTestId("add-template-field").click();
    await page.getByTestId("create-template").click();
    await expect.poll(() => rows(page).nth(1).getByText("Saisissez un libellé.").count()).toBe(1);
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot(page, "template-form-fr-dark-phone");

    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Mes entrées" }).click();
    await page.getByTestId("add-entry").click();
    const dialog = page.getByTestId("add-entry-dialog");
    await dialog.getByTestId("template-select").selectOption({ label: "Bank portal" });
    await dialog.getByTestId("template-value-customer_number").waitFor();
    await page.waitForTimeout(300); // the dialog's opening fade
    await screenshot(page, "add-entry-template-fr-dark-phone");
    await page.keyboard.press("Escape");

    await page.getByTestId("entry-name").filter({ hasText: "Acme Bank" }).click();
    const pin = page.getByTestId("secret-field-pin");
    await pin.getByRole("button", { name: "Révéler PIN" }).click();
    await pin.getByTestId("reason").fill("Ticket OPS-1142");
    await pin.getByRole("button", { name: "Révéler" }).click();
    await pin.getByTestId("revealed-value").waitFor();
    expect(await pin.locator(".revealed__value").textContent()).toBe(PIN);
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot(page, "entry-detail-template-fr-dark-phone");
  });

  it("tells a member that templates are for administrators", async () => {
    const page = await signIn("bob", { colorScheme: "light", locale: "en-US", width: 1280 });
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Templates|Admin/ }).count()).toBe(0);
    await page.goto(`${vault.server.url}/admin/templates`);
    await page.getByTestId("templates-admins-only").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Only administrators manage templates");
    await screenshot(page, "templates-member-en-light");
  });
});
