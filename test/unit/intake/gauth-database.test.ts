// Google Authenticator's own database, read through the store's hardened reader of uploaded
// SQLite files: the real file from Aegis's tests, databases made here with better-sqlite3, and
// damaged or hostile ones.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WatchwordError } from "../../../src/core/errors.js";
import { parseImport, type ImportPreview } from "../../../src/core/intake/import-file.js";
import { decodeBase32 } from "../../../src/core/otp/base32.js";
import { readForeignTable } from "../../../src/store/foreign-database.js";
import { loadSqlite } from "../../../src/store/sqlite-module.js";
import { rejection } from "../../support/watchword-rejection.js";
import { bySecret, describeWithFixtures, readFixture } from "./external-fixtures.js";

const hex = (base32: string): string => decodeBase32(base32).toString("hex");
const importDatabase = (bytes: Uint8Array, maxEntries?: number): Promise<ImportPreview> =>
  parseImport(bytes, { readForeignTable, ...(maxEntries === undefined ? {} : { limits: { maxEntries } }) });

const importError = (bytes: Uint8Array): Promise<WatchwordError> => rejection(importDatabase(bytes));

/** A database made by SQLite itself, as bytes. */
function database(statements: string): Buffer {
  const db = new (loadSqlite())(":memory:");
  try {
    db.exec(statements);
    return db.serialize();
  } finally {
    db.close();
  }
}

const ACCOUNTS = "create table accounts (_id integer primary key, email text not null, secret text not null, counter integer default 0, type integer, provider integer default 0, issuer text default null, original_name text default null);";

describeWithFixtures("Google Authenticator's database (aegis-importers/google_authenticator.sqlite)", () => {
  it("reads every account, TOTP and HOTP with their counters, and splits the issuer off the label", async () => {
    const preview = await importDatabase(readFixture("aegis-importers/google_authenticator.sqlite"));
    expect(preview.format).toBe("gauth-db");
    expect(preview.problems).toEqual([]);
    const entries = bySecret(preview);
    expect(entries.size).toBe(6);
    // The same accounts as plain.txt in the same folder, with the only parameters the app knew.
    expect(entries.get(hex("4SJHB4GSD43FZBAI7C2HLRJGPQ"))).toEqual({ issuer: "Deno", account: "Mason", type: "totp", algorithm: "SHA1", digits: 6, period: 30, counter: 0 });
    expect(entries.get(hex("KUVJJOM753IHTNDSZVCNKL7GII"))).toMatchObject({ issuer: "Air Canada", account: "Benjamin", type: "hotp", counter: 50 });
    expect(entries.get(hex("5VAML3X35THCEBVRLV24CGBKOY"))).toMatchObject({ issuer: "WWE", type: "hotp", counter: 10300 });
    expect(preview.entries.map((entry) => entry.name)).toContain("Air Canada (Benjamin)");
  });

  it("ends in a preview or a clear error whatever bytes of the file are changed (property)", async () => {
    const whole = Buffer.from(readFixture("aegis-importers/google_authenticator.sqlite"));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: whole.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (changes) => {
        const damaged = Buffer.from(whole);
        for (const [offset, value] of changes) damaged[offset] = value;
        const outcome: unknown = await importDatabase(damaged).catch((caught: unknown) => caught);
        // A change to the SQLite signature makes it no database at all: a type not imported (415).
        if (outcome instanceof Error) expect(["invalid_input", "unsupported_media_type"]).toContain(outcome instanceof WatchwordError && outcome.code);
      }),
      { numRuns: 300 },
    );
  });

  it("says a damaged copy is damaged, wherever it was cut", async () => {
    const whole = readFixture("aegis-importers/google_authenticator.sqlite");
    for (const length of [100, 4096, whole.length - 1000]) {
      const error = await importError(whole.subarray(0, length));
      expect(error.message).toBe("The SQLite database is damaged or not complete.");
      expect(error.details.field).toBe("file");
    }
  });
});

describe("Google Authenticator databases made here", () => {
  it("names what is wrong with a bad row and imports the rest", async () => {
    const preview = await importDatabase(
      database(`${ACCOUNTS}
        insert into accounts (email, secret, type, counter, issuer) values ('GitHub:alice', 'JBSWY3DPEHPK3PXP', 0, 0, 'GitHub');
        insert into accounts (email, secret, type, counter, issuer) values ('bob@example.com', 'not base32!', 0, 0, null);
        insert into accounts (email, secret, type, counter, issuer) values ('Bank:carol', 'JBSWY3DPEHPK3PXP', 7, 0, null);
        insert into accounts (email, secret, type, counter, issuer) values ('Vendor:dave', 'JBSWY3DPEHPK3PXP', 1, -3, 'Vendor');`),
    );
    expect(preview.entries.map((entry) => entry.name)).toEqual(["GitHub (alice)"]);
    expect(preview.problems.map((problem) => [problem.index, problem.label])).toEqual([
      [1, "bob@example.com"],
      [2, "Bank (carol)"],
      [3, "Vendor (dave)"],
    ]);
    expect(preview.problems[1]?.message).toBe("The account's type is neither 0 (TOTP) nor 1 (HOTP).");
    expect(preview.problems[2]?.message).toBe("The HOTP counter is missing or not a whole number.");
  });

  it("refuses another app's database, a view posing as the table, and a table without the columns", async () => {
    const other = await importError(database("create table notes (id integer primary key, body text);"));
    expect(other.message).toMatch(/^This SQLite database has no accounts table: it is not Google Authenticator's database\./u);
    const view = await importError(database("create table t (email text, secret text, counter integer, type integer, issuer text); create view accounts as select * from t;"));
    expect(view.message).toMatch(/no accounts table/u);
    const columns = await importError(database("create table accounts (email text, secret text);"));
    expect(columns.message).toBe("The database's accounts table has no counter, type, issuer column.");
  });

  it("refuses more accounts than one import may hold, reading no more than one past the limit", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `('user${i}', 'JBSWY3DPEHPK3PXP', 0, 0, 'Bulk')`).join(", ");
    const bytes = database(`${ACCOUNTS} insert into accounts (email, secret, type, counter, issuer) values ${rows};`);
    expect(readForeignTable(bytes, { table: "accounts", columns: ["email"], maxRows: 10 })).toHaveLength(11);
    const error: unknown = await importDatabase(bytes, 10).catch((caught: unknown) => caught);
    expect((error as WatchwordError).message).toBe("This file holds more than 10 entries; import at most that many at once.");
    expect((await importDatabase(bytes, 50)).entries).toHaveLength(50);
  });

  it("is refused plainly where no database reader is at hand", async () => {
    const error: unknown = await parseImport(database(ACCOUNTS)).catch((caught: unknown) => caught);
    expect((error as WatchwordError).message).toBe("This file is an app's SQLite database; it can be imported only through the server.");
  });
});
