// The import page in a real browser: Aegis's encrypted test vault with its password (a wrong one
// first), a KeePass database with its key file (a wrong one first), then Google Authenticator's own
// database; each preview lists the entries without their seeds, and confirming puts them on
// "My entries" with the codes oathtool computes. Rows that cannot be imported are said in French.
import fs from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectOathtoolCode, hasChromium, screenshot, type BrowserView } from "../support/browser.js";
import { createKeePassXcDatabase, isKeePassXcInstalled, keePassXcSkipNote } from "../support/keepassxc.js";
import { FIXTURES, hasFixtures } from "../unit/intake/external-fixtures.js";
import { useServedVault } from "../support/served-vault.js";

/** Reading an encrypted export runs scrypt in a lower-priority import worker: on a busy machine that takes seconds, not vitest's default second. */
const READ_TIMEOUT = { timeout: 30_000, interval: 200 };
const PASSWORD = "juniper-tidewater-cobalt-41";

describe.skipIf(!hasChromium || !hasFixtures)("importing exports on the import page in Chromium", () => {
  const vault = useServedVault("import", [{ username: "ada", role: "admin" }], PASSWORD);

  async function openImportPage(view: BrowserView): Promise<Page> {
    const page = await vault.signIn("ada", view);
    await page.goto(`${vault.server.url}/import`);
    await page.getByTestId("import-page").waitFor();
    return page;
  }

  it("opens an encrypted Aegis vault once the right password is given, and creates its entries", async () => {
    const page = await openImportPage({ colorScheme: "light", locale: "en-US", width: 1280 });
    await page.getByTestId("import-file-input").setInputFiles(path.join(FIXTURES, "aegis-importers/aegis_encrypted.json"));
    await page.getByTestId("chosen-file").waitFor();
    await page.getByTestId("import-password").fill("not the password");
    await page.getByTestId("import-upload").click();
    await expect.poll(async () => page.getByText("The password is wrong, or the file is damaged.").count(), READ_TIMEOUT).toBeGreaterThan(0);
    await screenshot(page, "import-wrong-password-en-light");

    await page.getByTestId("import-password").fill("test");
    await page.getByTestId("import-upload").click();
    await page.getByTestId("import-preview").waitFor();
    const rows = page.getByTestId("import-row");
    expect(await rows.count()).toBeGreaterThanOrEqual(5);
    // The preview names entries and their parameters, never a seed.
    const aegis = JSON.parse(await fs.readFile(path.join(FIXTURES, "aegis-importers/aegis_plain.json"), "utf8")) as { db: { entries: { name: string; issuer: string; type: string; info: { secret: string; algo: string; digits: number; period?: number } }[] } };
    const html = await page.content();
    for (const entry of aegis.db.entries) expect(html).not.toContain(entry.info.secret);
    expect(await page.getByTestId("import-preview").textContent()).toContain("Format: Aegis");
    await screenshot(page, "import-preview-en-light");
    await page.getByTestId("import-confirm").click();
    await page.getByTestId("import-done").waitFor();
    await page.getByTestId("import-done").getByRole("link").click();
    await page.getByTestId("entries-page").waitFor();
    const plain = aegis.db.entries.find((e) => e.type === "totp" && e.info.algo === "SHA1" && e.info.digits === 6 && (e.info.period ?? 30) === 30)!;
    const row = page.getByTestId("entry-row").filter({ hasText: plain.issuer });
    await row.getByTestId("show-code").click();
    await expectOathtoolCode(page, row.getByTestId("entry-code"), plain.info.secret);
  });

  it.skipIf(!isKeePassXcInstalled)(`opens a KeePass database with its password and key file, saying when the key file is wrong${keePassXcSkipNote}`, async () => {
    const seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const withKey = createKeePassXcDatabase({ version: "4", entries: [{ title: "Hosting", otp: `otpauth://totp/Hosting:ops?secret=${seed}&issuer=Hosting` }], password: "kdbx-e2e", withKeyFile: true });
    const other = createKeePassXcDatabase({ version: "3.1", entries: [], withKeyFile: true });
    try {
      const files = { database: path.join(vault.dataDir, "vault.kdbx"), keyFile: path.join(vault.dataDir, "vault.keyx"), otherKey: path.join(vault.dataDir, "other.keyx") };
      await fs.writeFile(files.database, withKey.bytes);
      await fs.writeFile(files.keyFile, withKey.keyFile ?? "");
      await fs.writeFile(files.otherKey, other.keyFile ?? "");
      const page = await openImportPage({ colorScheme: "light", locale: "en-US", width: 1280 });
      await page.getByTestId("import-file-input").setInputFiles(files.database);
      await page.getByTestId("import-password").fill("kdbx-e2e");
      await page.getByTestId("import-key-file").setInputFiles(files.otherKey);
      await page.getByTestId("import-upload").click();
      await expect.poll(async () => page.getByText("The password or the key file is wrong, or the file is damaged.").count(), READ_TIMEOUT).toBeGreaterThan(0);
      await screenshot(page, "import-keepass-wrong-key-file-en-light");
      await page.getByTestId("import-key-file").setInputFiles(files.keyFile);
      await page.getByTestId("import-upload").click();
      await page.getByTestId("import-preview").waitFor();
      expect(await page.getByTestId("import-preview").textContent()).toContain("Format: KeePass");
      expect(await page.content()).not.toContain(seed);
      await page.getByTestId("import-confirm").click();
      await page.getByTestId("import-done").waitFor();
      await page.getByTestId("import-done").getByRole("link").click();
      await page.getByTestId("entries-page").waitFor();
      const row = page.getByTestId("entry-row").filter({ hasText: "Hosting" });
      await row.getByTestId("show-code").click();
      await expectOathtoolCode(page, row.getByTestId("entry-code"), seed);
    } finally {
      withKey.remove();
      other.remove();
    }
  });

  it("reads Google Authenticator's own database, flags what is already there, in French on a phone", async () => {
    const page = await openImportPage({ colorScheme: "dark", locale: "fr-FR", width: 390 });
    await page.getByTestId("import-file-input").setInputFiles(path.join(FIXTURES, "aegis-importers/google_authenticator.sqlite"));
    await page.getByTestId("import-upload").click();
    await page.getByTestId("import-preview").waitFor();
    expect(await page.getByTestId("import-row").count()).toBe(6);
    // The Aegis vault imported above holds the same accounts.
    expect(await page.getByTestId("duplicate-badge").count()).toBeGreaterThan(0);
    await screenshot(page, "import-preview-fr-dark-phone");
    expect(await page.getByTestId("import-preview").textContent()).toContain("Base de données de Google Authenticator");
    // Look-alikes start unticked; ticking them all imports them anyway, named apart.
    await page.getByTestId("select-all").check();
    await page.getByTestId("import-confirm").click();
    await page.getByTestId("import-done").waitFor();
    await screenshot(page, "import-done-fr-dark-phone");
  });

  it("lists the lines of a file that cannot be imported in French, with the line each is on", async () => {
    const page = await openImportPage({ colorScheme: "light", locale: "fr-FR", width: 1280 });
    const links = "otpauth://totp/Good:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n\notpauth://totp/Bad:ada?secret=1111\n";
    await page.getByTestId("import-file-input").setInputFiles({ name: "links.txt", mimeType: "text/plain", buffer: Buffer.from(links) });
    await page.getByTestId("import-upload").click();
    await page.getByTestId("import-problems").waitFor();
    const problems = page.getByTestId("import-problems").locator("li");
    expect(await problems.count()).toBe(1);
    expect((await problems.first().textContent())?.replace(/\s+/g, " ")).toBe("Ligne 3La graine contient '1', qui n’est pas un caractère base32 (A à Z et 2 à 7).");
    await page.getByTestId("import-discard").click();
  });

  it("says in French why nothing in a file can be imported, each line under the refusal", async () => {
    const page = await openImportPage({ colorScheme: "light", locale: "fr-FR", width: 1280 });
    const links = "otpauth://totp/Bad:ada?secret=1111\notpauth://totp/NoSeed:ada?issuer=NoSeed\n";
    await page.getByTestId("import-file-input").setInputFiles({ name: "bad-links.txt", mimeType: "text/plain", buffer: Buffer.from(links) });
    await page.getByTestId("import-upload").click();
    await page.getByTestId("import-error-rows").waitFor();
    expect(await page.getByTestId("import-form").textContent()).toContain("Rien dans ce fichier ne peut être importé\u00a0: 2 éléments ont été trouvés, et aucun ne peut l’être.");
    const rows = page.getByTestId("import-error-rows").locator("li");
    expect((await rows.allTextContents()).map((row) => row.replace(/[\t\n ]+/g, " "))).toEqual([
      "Ligne 1La graine contient '1', qui n’est pas un caractère base32 (A à Z et 2 à 7).",
      "Ligne 2Le lien n’a pas de paramètre secret\u00a0; attendu\u00a0: secret= suivi de la clé base32.",
    ]);
    await screenshot(page, "import-nothing-importable-fr-light");
  });
});
