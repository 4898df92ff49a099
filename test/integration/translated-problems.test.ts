// Problems and warnings said in the reader's language: a real server's replies, read by the typed
// client and said by the web app's own code (web/src/ui/problem-text.ts) with its real catalogues.
import { readFileSync } from "node:fs";
import i18next from "i18next";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, type WatchwordClient } from "../../src/client/client.js";
import { describeImportProblem } from "../../web/src/imports/import-problem-text.js";
import { describeNotice, describeProblem, fieldOf } from "../../web/src/ui/problem-text.js";
import { rejection } from "../support/api-rejection.js";
import { migrationUri } from "../unit/intake/build-exports.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const NBSP = "\u00a0";
const catalogue = (language: string): object => JSON.parse(readFileSync(new URL(`../../web/src/i18n/${language}.json`, import.meta.url), "utf8")) as object;
const en = catalogue("en");
const fr = catalogue("fr");

describe.each(databaseKinds)("problems in the reader's language on %s", (kind) => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let member: WatchwordClient;

  beforeAll(async () => {
    await i18next.init({ resources: { en: { translation: en }, fr: { translation: fr } }, lng: "fr", fallbackLng: "en", interpolation: { escapeValue: false } });
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
    member = await signedInClient(server, "max", "member");
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const say = async (language: "en" | "fr", promise: Promise<unknown>) => {
    await i18next.changeLanguage(language);
    return describeProblem(await rejection(promise), i18next.t);
  };

  it("says a member may not create folders, in French and in English", async () => {
    const error = await rejection(member.createFolder({ name: "Finance" }));
    expect(error).toMatchObject({ status: 403, key: "folder_create_forbidden", message: "Only administrators create folders." });
    expect(await say("fr", member.createFolder({ name: "Finance" }))).toBe("Seuls les administrateurs créent des dossiers.");
    expect(await say("en", member.createFolder({ name: "Finance" }))).toBe("Only administrators create folders.");
  });

  it("names the duplicate folder and entry, next to the name field", async () => {
    await admin.createFolder({ name: "Finance" });
    const folder = await rejection(admin.createFolder({ name: "finance" }));
    expect(fieldOf(folder)).toBe("name");
    expect(await say("fr", admin.createFolder({ name: "finance" }))).toBe(`Un dossier nommé «${NBSP}finance${NBSP}» existe déjà.`);
    await admin.createEntry({ name: "AWS root", seed: { secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" } });
    expect(await say("fr", admin.createEntry({ name: "AWS root", seed: { secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" } }))).toBe(
      `Une entrée nommée «${NBSP}AWS root${NBSP}» existe déjà dans ce dossier.`,
    );
  });

  it("says a service's refusals by key in French: an HOTP entry asked for a code with GET, a field the entry lacks", async () => {
    const hotp = await admin.createEntry({ name: "VPN token", seed: { uri: "otpauth://hotp/VPN:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0" } });
    const refused = await rejection(admin.getCode(hotp.entry.id));
    expect(refused).toMatchObject({ status: 409, key: "entry_is_hotp", message: "This is an HOTP entry: each code is used once, so ask for the next one with POST." });
    expect(await say("fr", admin.getCode(hotp.entry.id))).toBe(`C’est une entrée HOTP${NBSP}: chaque code ne sert qu’une fois, demandez donc le suivant avec POST.`);
    const unknown = await rejection(admin.revealField(hotp.entry.id, "pin", "Checking the VPN set-up"));
    expect(unknown).toMatchObject({ status: 404, key: "entry_field_unknown", params: { key: "pin" } });
    expect(await say("fr", admin.revealField(hotp.entry.id, "pin", "Checking the VPN set-up"))).toBe(`Cette entrée n’a pas de champ «${NBSP}pin${NBSP}».`);
  });

  it("says the weak-key warning of a new entry in French, with its number of bits", async () => {
    const reply = await admin.createEntry({ name: "Old portal", seed: { secret: "JBSWY3DPEHPK3PXP" } });
    expect(reply.warnings).toEqual([expect.objectContaining({ key: "seed_weak", params: { bits: 80 } })]);
    await i18next.changeLanguage("fr");
    expect(describeNotice(reply.warnings[0]!, i18next.t)).toMatch(/^La graine fait 80 bits, moins que les 128 bits/);
  });

  it("says how long to wait in the right plural form, in both languages", async () => {
    const client = server.newClient();
    let error;
    for (let i = 0; i < 7; i += 1) error = await rejection(client.signIn({ username: "nobody-here", password: `wrong password ${i}` }));
    expect(error?.key).toBe("sign_in_throttled");
    const wait = error!.params.count as number;
    await i18next.changeLanguage("fr");
    expect(describeProblem(error, i18next.t)).toBe(`Trop de connexions échouées. Réessayez dans ${wait} ${wait === 1 ? "seconde" : "secondes"}.`);
    for (const [count, english, french] of [
      [1, "1 second.", "1 seconde."],
      [2, "2 seconds.", "2 secondes."],
      [1_000_000, "1000000 seconds.", "1000000 de secondes."],
    ] as const) {
      // The same problem with other waits, as the client would build it from such a reply.
      const shaped = new ApiError(429, "too_many_requests", "", undefined, undefined, { key: "sign_in_throttled", params: { count } });
      await i18next.changeLanguage("en");
      expect(describeProblem(shaped, i18next.t)).toBe(`Too many failed sign-ins. Try again in ${english}`);
      await i18next.changeLanguage("fr");
      expect(describeProblem(shaped, i18next.t)).toBe(`Trop de connexions échouées. Réessayez dans ${french}`);
    }
  });

  it("says an import preview's rows that cannot be imported in French: the line they are on and why", async () => {
    const file = [
      "otpauth://totp/Good:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
      "otpauth://totp/Bad:ada?secret=1111",
      // One part of a Google Authenticator transfer of two: the other part is missing.
      migrationUri([{ secret: Buffer.from("12345678901234567890"), name: "alice", issuer: "Example" }], { size: 2, index: 0, id: 7 }),
    ].join("\n");
    const preview = await admin.createImport({ data: Buffer.from(file).toString("base64"), format: "uris" });
    expect(preview.problems.map((row) => [row.labelKey, row.key])).toEqual([
      ["line", "base32_bad_character"],
      ["gauth_transfer", "import_transfer_parts_missing"],
    ]);
    await i18next.changeLanguage("fr");
    expect(preview.problems.map((row) => describeImportProblem(row, i18next.t))).toEqual([
      { label: "Ligne 2", message: "La graine contient '1', qui n’est pas un caractère base32 (A à Z et 2 à 7)." },
      { label: "Transfert Google Authenticator", message: `Le transfert a été réparti sur 2 QR codes, mais il en manque 1 (partie 2)${NBSP}; ajoutez toutes les parties pour importer tous les comptes.` },
    ]);
    await i18next.changeLanguage("en");
    expect(preview.problems.map((row) => describeImportProblem(row, i18next.t))).toEqual(preview.problems.map((row) => ({ label: row.label, message: row.message })));
    await admin.discardImport(preview.importId);
  });

  it("says why nothing in a file can be imported in French: the sentence, then each row with its line", async () => {
    const file = ["otpauth://totp/Bad:ada?secret=1111", "", "otpauth://totp/NoSeed:ada?issuer=NoSeed"].join("\n");
    const refused = await rejection(admin.createImport({ data: Buffer.from(file).toString("base64"), format: "uris" }));
    expect([refused.key, refused.params]).toEqual(["import_nothing_importable", { count: 2 }]);
    await i18next.changeLanguage("fr");
    expect(describeProblem(refused, i18next.t)).toBe(`Rien dans ce fichier ne peut être importé${NBSP}: 2 éléments ont été trouvés, et aucun ne peut l’être.`);
    expect(refused.rows.map((row) => describeImportProblem(row, i18next.t))).toEqual([
      { label: "Ligne 1", message: "La graine contient '1', qui n’est pas un caractère base32 (A à Z et 2 à 7)." },
      { label: "Ligne 3", message: `Le lien n’a pas de paramètre secret${NBSP}; attendu${NBSP}: secret= suivi de la clé base32.` },
    ]);
    const single = await rejection(admin.createImport({ data: Buffer.from("otpauth://totp/Bad:ada?secret=1111").toString("base64"), format: "uris" }));
    expect(describeProblem(single, i18next.t)).toBe(`Rien dans ce fichier ne peut être importé${NBSP}: 1 élément a été trouvé, et il ne peut pas l’être.`);
    await i18next.changeLanguage("en");
    expect(describeProblem(single, i18next.t)).toBe(single.message);
    expect(single.message).toBe("Nothing in this file can be imported: 1 item was found, and it cannot be.");
  });

  it("says a request the server refused by its shape in French", async () => {
    const error = await rejection(admin.createFolder({ name: "x".repeat(201) }));
    expect(error).toMatchObject({ key: "field_too_long", params: { field: "name", count: 200 } });
    await i18next.changeLanguage("fr");
    expect(describeProblem(error, i18next.t)).toBe(`Le champ «${NBSP}name${NBSP}» compte au plus 200 caractères.`);
  });
});
