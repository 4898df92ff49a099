// Each role in a real browser, in both languages and themes: an auditor is offered no entry to add
// or import (they land on the audit log), a member no new folder; the server's refusals and warnings are said in French next to
// the field they are about; administrators rename and delete folders and edit and delete
// templates, refused with a count while entries use them.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { hasChromium, launchChromium, screenshot, signInAs, type BrowserView } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";
import { signedInApiClient } from "../support/admin-authenticator.js";

const PASSWORD = "saffron-glacier-outpost-88";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NBSP = "\u00a0";

const EN_LIGHT: BrowserView = { colorScheme: "light", locale: "en-US", width: 1280 };
const FR_DARK: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 1280 };
const FR_DARK_PHONE: BrowserView = { colorScheme: "dark", locale: "fr-FR", width: 390 };

describe.skipIf(!hasChromium)("roles, translated problems, folders and templates in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;
  let admin: WatchwordClient;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-roles-"));
    for (const [name, role] of [["ada", "admin"], ["max", "member"], ["aud", "auditor"]] as const) {
      await runCli(["user", "add", name, "--role", role, "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    }
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    browser = await launchChromium();
    // Others exist: the administrator signs in with the test authenticator (admin-authenticator.ts).
    admin = await signedInApiClient(server.url, "ada", PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(username: string, view: BrowserView, landing?: string): Promise<Page> {
    const page = await signInAs(browser, server.url, { username, password: PASSWORD }, view, landing === undefined ? {} : { landing });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    return page;
  }
  const nav = (page: Page) => page.getByRole("navigation", { name: /main|principale/i });

  it("offers an auditor nothing to add or import: they land on the audit log, their only section", async () => {
    for (const [view, name] of [[EN_LIGHT, "en-light"], [FR_DARK_PHONE, "fr-dark-phone"]] as const) {
      const page = await signIn("aud", view, "audit-page");
      expect(new URL(page.url()).pathname).toBe("/audit");
      expect(await page.getByTestId("add-entry").count()).toBe(0);
      const links = await nav(page).getByRole("link").allTextContents();
      expect(links).toEqual(["Audit"]);
      expect(await page.getByText(/New folder|Nouveau dossier/).count()).toBe(0);
      await screenshot(page, `audit-landing-auditor-${name}`);
      // "My entries" has nothing for them: its address leads back to the audit log.
      await page.goto(`${server.url}/`);
      await page.getByTestId("audit-page").waitFor();
      expect(new URL(page.url()).pathname).toBe("/audit");
      await page.goto(`${server.url}/import`);
      await page.getByTestId("import-not-for-role").waitFor();
      await page.goto(`${server.url}/admin/folders`);
      await page.getByTestId("folders-admins-only").waitFor();
      await page.context().close();
    }
  });

  it("offers a member no new folder, promises no sharing, and says the server's refusals and warnings in French", async () => {
    await admin.createFolder({ name: "Finance" });
    const page = await signIn("max", FR_DARK_PHONE);
    const links = await nav(page).getByRole("link").allTextContents();
    expect(links).toEqual(["Mes entrées", "Importer", "Demandes"]);
    const empty = await page.getByTestId("entries-empty").textContent();
    expect(empty).toMatch(/Les entrées que vous ajoutez apparaissent ici/);
    expect(empty).not.toMatch(/partag/i);
    await screenshot(page, "entries-empty-member-fr-dark-phone");

    await page.getByTestId("add-entry").click();
    const dialog = page.getByTestId("add-entry-dialog");
    const folderOptions = await dialog.getByTestId("folder-select").locator("option").allTextContents();
    expect(folderOptions).toEqual(["Sans dossier", "Finance"]);
    await dialog.getByLabel("Nom", { exact: true }).fill("Vieux portail");
    await dialog.getByTestId("setup-key").fill("JBSWY3DPEHPK3PXP");
    await page.getByTestId("confirm-add").click();
    const added = page.getByTestId("entry-added");
    await added.waitFor();
    // The weak-key warning of the reply, said in French from its key and number of bits.
    expect(await added.textContent()).toContain("La graine fait 80 bits, moins que les 128 bits qu’exige la RFC 4226");
    await screenshot(page, "entry-added-weak-key-fr-dark-phone");

    // The same name again: the server's conflict, in French, under the name field.
    await page.getByTestId("add-entry").click();
    await dialog.getByLabel("Nom", { exact: true }).fill("Vieux portail");
    await dialog.getByTestId("setup-key").fill(SEED);
    await page.getByTestId("confirm-add").click();
    const nameError = dialog.locator(".field", { has: page.getByLabel("Nom", { exact: true }) }).locator(".field__error");
    await expect.poll(() => nameError.textContent()).toBe(`Une entrée nommée «${NBSP}Vieux portail${NBSP}» existe déjà dans ce dossier.`);
    await screenshot(page, "add-entry-duplicate-fr-dark-phone");
    await page.context().close();
  });

  it("says throttled sign-ins in French with the right plural", async () => {
    const context = await browser.newContext({ locale: "fr-FR", colorScheme: "light", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    const alert = page.getByTestId("form-error");
    for (let attempt = 0; attempt < 7; attempt += 1) {
      await page.getByLabel("Nom d’utilisateur").fill("quelquun");
      await page.getByLabel("Mot de passe").fill(`mauvais mot de passe ${attempt}`);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await alert.waitFor();
      if (/Trop de connexions/.test((await alert.textContent()) ?? "")) break;
    }
    expect(await alert.textContent()).toMatch(/^Trop de connexions échouées\. Réessayez dans (1 seconde|\d+ secondes)\.$/);
    await screenshot(page, "sign-in-throttled-fr-light");
    await context.close();
  });

  it("says a web app's password field in French on the entry page", async () => {
    const { entry } = await admin.createEntry({ name: "Intranet", templateId: "web-app-otp", url: "https://intranet.example", username: "ada", fields: { password: "plum-orbit-7" }, seed: { secret: SEED } });
    const page = await signIn("ada", FR_DARK);
    await page.goto(`${server.url}/entries/${entry.id}`);
    await page.getByTestId("entry-page").waitFor();
    const field = page.getByTestId("secret-field-password");
    expect(await field.locator(".secret-field__label").textContent()).toBe("Mot de passe");
    expect(await page.getByTestId("entry-page").textContent()).not.toMatch(/\bPassword\b/);
    await screenshot(page, "entry-web-app-fr-dark");
    await page.context().close();
  });

  it("renames folders and deletes one only when empty, with the count in the refusal", async () => {
    const legacy = await admin.createFolder({ name: "Legacy" });
    for (const name of ["Old mail", "Old VPN"]) await admin.createEntry({ name, folderId: legacy.id, seed: { secret: SEED } });
    const page = await signIn("ada", EN_LIGHT);
    await nav(page).getByRole("link", { name: "Admin" }).click();
    await page.getByTestId("folders-page").waitFor();
    expect(await page.getByRole("navigation", { name: "Admin" }).getByRole("link").allTextContents()).toEqual(["Folders", "Templates", "Service accounts", "Users", "Groups", "Two-step verification"]);
    const row = (name: string) => page.getByTestId("folder-row").filter({ has: page.getByTestId("folder-name").getByText(name, { exact: true }) });
    expect(await row("Legacy").getByTestId("folder-count").textContent()).toBe("2 entries");

    // Create one, then try to give another folder its name: refused in place.
    await page.getByTestId("new-folder").click();
    await page.getByTestId("new-folder-name").fill("Archive");
    await page.getByTestId("create-folder").click();
    await page.getByTestId("folder-created").waitFor();
    await row("Legacy").getByTestId("rename-folder").click();
    await page.getByTestId("rename-folder-name").fill("archive");
    await page.getByTestId("save-folder-name").click();
    await expect.poll(() => page.getByTestId("rename-folder-form").locator(".field__error").textContent()).toBe("A folder named “archive” already exists.");
    await screenshot(page, "folder-rename-taken-en-light");
    await page.getByTestId("rename-folder-name").fill("Legacy systems");
    await page.getByTestId("save-folder-name").click();
    await page.getByTestId("folder-renamed").waitFor();
    expect((await admin.listFolders()).folders.find((folder) => folder.id === legacy.id)?.name).toBe("Legacy systems");

    await row("Legacy systems").getByTestId("delete-folder").click();
    const dialog = page.getByTestId("delete-folder-dialog");
    expect(await dialog.getByTestId("folder-not-empty").textContent()).toBe("The folder “Legacy systems” still holds 2 entries. Move them to another folder or delete them first.");
    expect(await dialog.getByTestId("confirm-delete-folder").count()).toBe(0);
    await page.waitForTimeout(300); // the dialog's opening fade
    await screenshot(page, "folder-delete-refused-en-light");
    await dialog.getByRole("button", { name: "Close" }).first().click();

    await row("Archive").getByTestId("delete-folder").click();
    await dialog.getByTestId("confirm-delete-folder").click();
    await page.getByTestId("folder-deleted").waitFor();
    expect(await row("Archive").count()).toBe(0);
    expect((await admin.listFolders()).folders.map((folder) => folder.name)).not.toContain("Archive");
    await screenshot(page, "folders-en-light");
    await page.context().close();
  });

  it("shows the folders page in French, dark, at phone width", async () => {
    const page = await signIn("ada", FR_DARK_PHONE);
    await page.goto(`${server.url}/admin/folders`);
    await page.getByTestId("folder-list").waitFor();
    expect(await page.getByTestId("folder-row").first().getByTestId("folder-count").textContent()).toMatch(/^(Vide|\d+ entrées?)$/);
    await screenshot(page, "folders-fr-dark-phone");
    await page.getByTestId("folder-row").filter({ hasText: "Legacy systems" }).getByTestId("delete-folder").click();
    expect(await page.getByTestId("folder-not-empty").textContent()).toBe(`Le dossier «${NBSP}Legacy systems${NBSP}» contient encore 2 entrées. Déplacez-les dans un autre dossier ou supprimez-les d’abord.`);
    await page.waitForTimeout(300); // the dialog's opening fade
    await screenshot(page, "folder-delete-refused-fr-dark-phone");
    await page.context().close();
  });

  it("edits a template in use with its fields locked, and refuses to delete it with the count", async () => {
    const used = await admin.createTemplate({
      name: "Bank portal",
      fields: [
        { key: "customer_number", label: "Customer number", type: "text", required: true },
        { key: "seed", label: "OTP seed", type: "otp", required: false },
      ],
    });
    await admin.createEntry({ name: "Acme Bank", templateId: used.id, fields: { customer_number: "CN-1" }, seed: { secret: SEED } });
    await admin.createTemplate({ name: "Spare", fields: [{ key: "note", label: "Note", type: "text", required: false }] });

    const page = await signIn("ada", EN_LIGHT);
    await page.goto(`${server.url}/admin/templates`);
    const card = (name: string) => page.getByTestId("template-card").filter({ has: page.getByRole("heading", { name, exact: true }) });
    await card("Bank portal").waitFor();
    expect(await card("Bank portal").getByTestId("template-usage").textContent()).toBe("Used by 1 entry");
    expect(await card("OTP only").getByTestId("edit-template").count()).toBe(0);

    await card("Bank portal").getByTestId("edit-template").click();
    const form = page.getByTestId("template-form");
    expect(await form.getByTestId("template-in-use").textContent()).toMatch(/^1 entry uses this template/);
    const rows = form.getByTestId("template-field-row");
    expect(await rows.nth(0).getByTestId("template-field-key").getAttribute("readonly")).not.toBeNull();
    expect(await rows.nth(0).getByTestId("template-field-type").isDisabled()).toBe(true);
    expect(await rows.nth(0).getByRole("button", { name: /Remove/ }).isDisabled()).toBe(true);
    // Every field entries may hold is locked, the seed too.
    expect(await rows.nth(1).getByTestId("template-field-type").isDisabled()).toBe(true);
    await form.getByTestId("template-name").fill("Bank login");
    await rows.nth(0).getByTestId("template-field-label").fill("Client ID");
    await form.getByTestId("add-template-field").click();
    await rows.nth(2).getByTestId("template-field-label").fill("Branch");
    // A field added now is free: no entry holds a value for it yet.
    expect(await rows.nth(2).getByTestId("template-field-type").isDisabled()).toBe(false);
    expect(await rows.nth(2).getByTestId("template-field-key").getAttribute("readonly")).toBeNull();
    await screenshot(page, "template-edit-in-use-en-light");
    await form.getByTestId("save-template").click();
    await page.getByTestId("template-saved").waitFor();
    const saved = (await admin.listTemplates()).templates.find((template) => template.id === used.id);
    expect(saved?.name).toBe("Bank login");
    expect(saved?.fields.map((field) => [field.key, field.label])).toEqual([["customer_number", "Client ID"], ["seed", "OTP seed"], ["branch", "Branch"]]);

    await card("Bank login").getByTestId("delete-template").click();
    const dialog = page.getByTestId("delete-template-dialog");
    expect(await dialog.getByTestId("template-in-use-refusal").textContent()).toBe("The template “Bank login” is used by 1 entry, so it cannot be deleted.");
    await page.waitForTimeout(300); // the dialog's opening fade
    await screenshot(page, "template-delete-refused-en-light");
    await dialog.getByRole("button", { name: "Close" }).first().click();

    await card("Spare").getByTestId("delete-template").click();
    await dialog.getByTestId("confirm-delete-template").click();
    await page.getByTestId("template-deleted").waitFor();
    expect(await card("Spare").count()).toBe(0);
    await screenshot(page, "templates-after-delete-en-light");
    await page.context().close();
  });

  it("shows the templates page and its refusal in French, dark, at phone width", async () => {
    const page = await signIn("ada", FR_DARK_PHONE);
    await page.goto(`${server.url}/admin/templates`);
    const card = page.getByTestId("template-card").filter({ has: page.getByRole("heading", { name: "Bank login", exact: true }) });
    expect(await card.getByTestId("template-usage").textContent()).toBe("Utilisé par 1 entrée");
    await screenshot(page, "templates-fr-dark-phone");
    await card.getByTestId("delete-template").click();
    expect(await page.getByTestId("template-in-use-refusal").textContent()).toBe(`Le modèle «${NBSP}Bank login${NBSP}» est utilisé par 1 entrée, il ne peut donc pas être supprimé.`);
    await page.waitForTimeout(300); // the dialog's opening fade
    await screenshot(page, "template-delete-refused-fr-dark-phone");
    await page.getByTestId("delete-template-dialog").getByRole("button", { name: "Fermer" }).first().click();
    await card.getByTestId("edit-template").click();
    expect(await page.getByTestId("template-in-use").textContent()).toMatch(/^1 entrée utilise ce modèle/);
    await screenshot(page, "template-edit-in-use-fr-dark-phone");
    await page.context().close();
  });

  it("raised no error in the pages", () => {
    expect(pageErrors).toEqual([]);
  });
});
