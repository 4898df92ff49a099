// Password-protected Bitwarden exports over HTTP, on both databases: opened with their password
// into entries whose codes oathtool agrees with; a wrong password, a damaged file, a costly KDF and
// an account-restricted export each refused with a 400 and its key, creating and holding nothing;
// the password and the seeds nowhere in replies, logs or the raw database.
import { readFileSync } from "node:fs";
import i18next from "i18next";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeProblem } from "../../web/src/ui/problem-text.js";
import type { WatchwordClient } from "../../src/client/client.js";
import { rejection } from "../support/api-rejection.js";
import { createTestDatabase, databaseKinds, dumpDatabase, type TestDatabase } from "../support/databases.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";
import { withRawDatabase } from "../support/raw-database.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";
import { passwordProtectedBitwarden, plainBitwardenExport, type PasswordProtectedExport } from "../unit/intake/build-bitwarden.js";

const PASSWORD = "saffron-kettle-Bitwarden-8812";
const SEED = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BAJJ2W24DT";
const OTHER_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PLAIN = plainBitwardenExport([
  { name: "Vendor console", totp: SEED, username: "ops", folder: "Shared" },
  { name: "Payroll", totp: `otpauth://totp/Payroll:finance?secret=${OTHER_SEED}&issuer=Payroll&digits=8` },
]);
const b64 = (file: unknown): string => Buffer.from(JSON.stringify(file)).toString("base64");
const NBSP = "\u00a0";
const catalogue = (language: string): object => JSON.parse(readFileSync(new URL(`../../web/src/i18n/${language}.json`, import.meta.url), "utf8")) as object;

for (const kind of databaseKinds) {
  describe(`password-protected Bitwarden imports on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestApp;
    let admin: WatchwordClient;
    let pbkdf2: PasswordProtectedExport;
    let argon2: PasswordProtectedExport;
    const replies: string[] = [];

    /** Rows an import could have left: entries and pending imports. */
    const storedRows = (): Promise<number[]> =>
      withRawDatabase(db, async (raw) =>
        Promise.all(["entries", "pending_imports"].map(async (table) => Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(raw)).rows[0]!.n))),
      );

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestApp(db);
      admin = await signedInClient(server, "ada", "admin");
      pbkdf2 = await passwordProtectedBitwarden(PLAIN, PASSWORD, { type: 0, iterations: 600_000 });
      argon2 = await passwordProtectedBitwarden(PLAIN, PASSWORD, { type: 1, iterations: 3, memoryMib: 64, parallelism: 4 });
    });
    afterAll(async () => {
      await server.close();
      await db.drop();
    });

    it.each([
      ["PBKDF2 (Bitwarden's default 600,000 iterations)", () => pbkdf2],
      ["Argon2id (Bitwarden's defaults)", () => argon2],
    ])("opens an export made with %s with its password, and creates entries whose codes oathtool agrees with", async (_, file) => {
      const preview = await admin.createImport({ data: b64(file()), password: PASSWORD });
      replies.push(JSON.stringify(preview));
      expect(preview.format).toBe("bitwarden");
      expect(preview.problems).toEqual([]);
      expect(preview.entries.map(({ name, digits }) => ({ name, digits }))).toEqual([
        { name: "Vendor console", digits: 6 },
        { name: "Payroll", digits: 8 },
      ]);
      const { created } = await admin.confirmImport(preview.importId);
      expect(created).toHaveLength(2);
      const code = await admin.getCode(created.find((c) => c.index === 1)!.id);
      replies.push(JSON.stringify(code));
      if (hasOathtool) expect(code.code).toBe(runOathtool("--totp", "-b", "-d", "8", "-N", `@${code.validFrom}`, OTHER_SEED));
    });

    it("refuses a missing or wrong password with 400 on the password field, creating and holding nothing", async () => {
      const before = await storedRows();
      const missing = await rejection(admin.createImport({ data: b64(pbkdf2) }));
      expect([missing.status, missing.field, missing.key, missing.message]).toEqual([400, "password", "import_password_required", "This Bitwarden file is encrypted: give its password."]);
      const wrong = await rejection(admin.createImport({ data: b64(argon2), password: `${PASSWORD}!` }));
      replies.push(JSON.stringify(wrong), wrong.message);
      expect([wrong.status, wrong.field, wrong.key, wrong.message]).toEqual([400, "password", "import_password_wrong", "The password is wrong, or the file is damaged."]);
      expect(await storedRows()).toEqual(before);
    });

    it.each<[string, (file: PasswordProtectedExport) => unknown, string, Record<string, unknown>]>([
      ["a changed data MAC", (file) => ({ ...file, data: `${file.data.slice(0, -6)}AAAAA=` }), "import_bitwarden_encrypted_damaged", { field: "data" }],
      ["a changed data IV", (file) => ({ ...file, data: `2.AAAAAAAAAAAAAAAAAAAAAA==${file.data.slice(file.data.indexOf("|"))}` }), "import_bitwarden_encrypted_damaged", { field: "data" }],
      ["non-base64 ciphertext", (file) => ({ ...file, data: file.data.replace(/\|[^|]+\|/u, "|***|") }), "import_bitwarden_encrypted_damaged", { field: "data" }],
      ["no salt", ({ salt: _, ...file }) => file, "import_bitwarden_encrypted_damaged", { field: "salt" }],
      ["PBKDF2 iterations past the cap", (file) => ({ ...file, kdfIterations: 2_000_000_000 }), "import_kdf_pbkdf2_iterations", { format: "Bitwarden", value: 2_000_000_000, max: 1_000_000 }],
      ["Argon2 memory past the cap", (file) => ({ ...file, kdfType: 1, kdfIterations: 3, kdfMemory: 1_048_576, kdfParallelism: 4 }), "import_kdf_argon2_memory", { format: "Bitwarden", value: 1_048_576, max: 512 }],
      ["an unknown KDF", (file) => ({ ...file, kdfType: 9 }), "import_bitwarden_kdf_unknown", {}],
      ["an EncString without a MAC", (file) => ({ ...file, data: `0.${file.data.slice(2, file.data.lastIndexOf("|"))}` }), "import_bitwarden_cipher_unsupported", { field: "data", value: "0" }],
    ])("refuses a file with %s with 400 and its key, creating and holding nothing", async (_, change, key, params) => {
      const before = await storedRows();
      const refused = await rejection(admin.createImport({ data: b64(change(pbkdf2)), password: PASSWORD }));
      replies.push(JSON.stringify(refused), refused.message);
      expect([refused.status, refused.field, refused.key, refused.params]).toEqual([400, "file", key, params]);
      expect(await storedRows()).toEqual(before);
    });

    it("refuses a file cut short with 400 and a key", async () => {
      const whole = Buffer.from(JSON.stringify(pbkdf2));
      const refused = await rejection(admin.createImport({ data: whole.subarray(0, whole.length - 40).toString("base64"), password: PASSWORD, format: "bitwarden" }));
      expect([refused.status, refused.key]).toEqual([400, "import_json_invalid"]);
    });

    it("refuses an account-restricted export with 400, saying to export with a password", async () => {
      const accountRestricted = { encrypted: true, encKeyValidation_DO_NOT_EDIT: pbkdf2.encKeyValidation_DO_NOT_EDIT, folders: [], items: [{ type: 1, name: pbkdf2.data, login: { totp: pbkdf2.data } }] };
      const refused = await rejection(admin.createImport({ data: b64(accountRestricted), password: PASSWORD }));
      expect([refused.status, refused.field, refused.key]).toEqual([400, "file", "import_bitwarden_account_restricted"]);
      expect(refused.message).toMatch(/Export the vault again with the file type "Password protected"/u);
    });

    it("says the account-restricted and damaged-file refusals in French, as the web app does", async () => {
      await i18next.init({ resources: { en: { translation: catalogue("en") }, fr: { translation: catalogue("fr") } }, lng: "fr", fallbackLng: "en", interpolation: { escapeValue: false } });
      const accountRestricted = { encrypted: true, encKeyValidation_DO_NOT_EDIT: pbkdf2.encKeyValidation_DO_NOT_EDIT, items: [] };
      const restricted = await rejection(admin.createImport({ data: b64(accountRestricted) }));
      expect(describeProblem(restricted, i18next.t)).toBe(
        `Cet export Bitwarden est «${NBSP}restreint au compte${NBSP}»${NBSP}: il est chiffré avec la clé de votre compte Bitwarden, que seul Bitwarden peut ouvrir. Exportez à nouveau le coffre avec le type de fichier «${NBSP}Protégé par mot de passe${NBSP}» (ou en .json ou .csv non chiffré).`,
      );
      const damaged = await rejection(admin.createImport({ data: b64({ ...pbkdf2, salt: null }), password: PASSWORD }));
      expect(describeProblem(damaged, i18next.t)).toBe(`Cet export Bitwarden est endommagé${NBSP}: son champ salt est absent ou illisible.`);
    });

    it("counts wrong Bitwarden passwords in the per-user throttle, and damaged files not", async () => {
      const eve = await signedInClient(server, "eve", "admin");
      const damaged = { ...pbkdf2, data: `${pbkdf2.data.slice(0, -6)}AAAAA=` };
      for (let i = 0; i < 6; i++) expect((await rejection(eve.createImport({ data: b64(damaged), password: PASSWORD }))).key).toBe("import_bitwarden_encrypted_damaged");
      const cheap = await passwordProtectedBitwarden(PLAIN, PASSWORD, { type: 0, iterations: 5_000 });
      for (let i = 0; i < 5; i++) expect((await rejection(eve.createImport({ data: b64(cheap), password: "guess" }))).key).toBe("import_password_wrong");
      const throttled = await rejection(eve.createImport({ data: b64(cheap), password: PASSWORD }));
      expect(throttled.status).toBe(429);
    });

    describe("committed files with Bitwarden's default KDF settings (test/fixtures/bitwarden)", () => {
      it.each(["password-protected-pbkdf2.json", "password-protected-argon2id.json"])("previews %s with its password, and refuses another", async (name) => {
        const data = readFileSync(new URL(`../fixtures/bitwarden/${name}`, import.meta.url)).toString("base64");
        const preview = await admin.createImport({ data, password: "fixture-export-password" });
        replies.push(JSON.stringify(preview));
        expect([preview.format, preview.entries.map((e) => [e.name, e.type, e.digits])]).toEqual(["bitwarden", [["Team wiki", "totp", 6]]]);
        await admin.discardImport(preview.importId);
        const wrong = await rejection(admin.createImport({ data, password: "fixture-export-passworD" }));
        expect([wrong.status, wrong.field, wrong.key]).toEqual([400, "password", "import_password_wrong"]);
      });
    });

    it("keeps the password and the seeds out of replies, logs and the raw database", async () => {
      const dump = await dumpDatabase(db);
      const haystacks = { replies: replies.join("\n"), logs: server.logs.join("\n"), database: dump };
      for (const [where, haystack] of Object.entries(haystacks)) {
        for (const secret of [PASSWORD, SEED, OTHER_SEED]) expect(haystack.includes(secret), `${secret} in ${where}`).toBe(false);
      }
      expect(server.logs.length).toBeGreaterThan(0);
    });
  });
}
