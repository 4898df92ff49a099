// NUL and other control characters in text input, on both databases: refused the same way on
// SQLite (which would store them) and PostgreSQL (which cannot), with a 400 naming the field,
// in bodies, query strings and path parameters; tabs and line breaks only where text spans lines.
import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../src/contract/problem.js";
import { databaseKinds } from "../support/databases.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";

const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe.each(databaseKinds)("control characters on %s", (kind) => {
  const app = useSignedInAdmin(kind);
  let token: string;
  let entryId: string;
  let recoveryId: string;

  beforeAll(async () => {
    const password = "plum-orbit-lantern-4417";
    token = (await app.server.newClient().signIn({ username: "ada", password, client: "cli" })).token!;
    entryId = (await app.admin.createEntry({ name: "Plain", seed: { secret: SEED_B32 } })).entry.id;
    recoveryId = (await app.admin.createEntry({ name: "Codes", recoveryCodes: ["mike-1111", "november-2222"] })).entry.id;
  });

  async function send(method: string, path: string, body?: unknown): Promise<{ status: number; problem: Problem }> {
    const response = await fetch(`${app.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, problem: (await response.json()) as Problem };
  }

  const refusals: [string, string, string, unknown, string][] = [
    ["a NUL in an entry's notes", "POST", "/api/v1/entries", { name: "Notes NUL", notes: "line one\u0000line two", seed: { secret: SEED_B32 } }, "notes"],
    ["a bell in an entry's notes", "POST", "/api/v1/entries", { name: "Notes bell", notes: "ding\u0007", seed: { secret: SEED_B32 } }, "notes"],
    ["a C1 control in an entry's notes", "POST", "/api/v1/entries", { name: "Notes C1", notes: "next\u0085line", seed: { secret: SEED_B32 } }, "notes"],
    ["a NUL in an entry's name", "POST", "/api/v1/entries", { name: "Name\u0000", seed: { secret: SEED_B32 } }, "name"],
    ["a tab in an entry's issuer", "POST", "/api/v1/entries", { name: "Issuer tab", issuer: "ACME\tCorp", seed: { secret: SEED_B32 } }, "issuer"],
    ["a line break in a tag", "POST", "/api/v1/entries", { name: "Tag break", tags: ["ok", "two\nlines"], seed: { secret: SEED_B32 } }, "tags.1"],
    ["a lone surrogate in an entry's account", "POST", "/api/v1/entries", { name: "Half pair", account: "ab\ud800cd", seed: { secret: SEED_B32 } }, "account"],
    ["a NUL in a link", "POST", "/api/v1/entries", { name: "Link NUL", seed: { uri: `otpauth://totp/A\u0000?secret=${SEED_B32}` } }, "seed.uri"],
    ["a NUL in a template field's value", "POST", "/api/v1/entries", { name: "Field NUL", fields: { password: "pa\u0000ss" }, seed: { secret: SEED_B32 } }, "fields.password"],
    ["a NUL in a recovery code", "POST", "/api/v1/entries", { name: "Code NUL", recoveryCodes: ["oscar\u00001111"] }, "recoveryCodes.0"],
    ["a NUL in an edited entry's notes", "PATCH", "/api/v1/entries/{entry}", { notes: "\u0000" }, "notes"],
    ["a NUL in a reveal reason", "POST", "/api/v1/entries/{recovery}/recovery-codes/next", { reason: "locked out\u0000 OPS-1" }, "reason"],
    ["a line break in a reveal reason", "POST", "/api/v1/entries/{recovery}/recovery-codes/next", { reason: "locked out\nOPS-1" }, "reason"],
    ["a NUL in a folder's name", "POST", "/api/v1/folders", { name: "Ops\u0000" }, "name"],
    ["a NUL in a template's field label", "POST", "/api/v1/templates", { name: "Tpl", fields: [{ key: "pin", label: "P\u0000IN", type: "secret", required: false }] }, "fields.0.label"],
    ["a NUL in a sign-in username", "POST", "/api/v1/auth/sign-in", { username: "ada\u0000", password: "plum-orbit-lantern-4417" }, "username"],
    ["a NUL in an import's password", "POST", "/api/v1/imports", { data: Buffer.from("otpauth://totp/X?secret=GEZDGNBV").toString("base64"), password: "\u0000" }, "password"],
    ["a NUL in a search", "GET", "/api/v1/entries?q=a%00b", undefined, "q"],
    ["a NUL in a path parameter", "POST", "/api/v1/entries/{entry}/fields/pass%00word/reveal", { reason: "vendor call" }, "key"],
  ];

  it.each(refusals)("refuses %s with a 400 naming the field", async (_name, method, rawPath, body, field) => {
    const before = (await app.admin.listEntries()).entries.length;
    const path = rawPath.replace("{entry}", entryId).replace("{recovery}", recoveryId);
    const { status, problem } = await send(method, path, body);
    expect([status, problem.code, problem.field]).toEqual([400, "invalid_input", field]);
    expect(problem.detail).toContain(`"${field}"`);
    expect(problem.detail).toMatch(/U\+[0-9A-F]{4}/);
    expect((await app.admin.listEntries()).entries.length).toBe(before);
  });

  it("refuses a control character in a field name, saying where", async () => {
    const { status, problem } = await send("POST", "/api/v1/entries", { name: "Key NUL", fields: { "pass\u0000word": "x" }, seed: { secret: SEED_B32 } });
    expect([status, problem.field, problem.detail]).toEqual([400, "fields", 'A field name in "fields" contains U+0000, a control character or half of a surrogate pair, which names may not hold.']);
  });

  it("changed nothing: the reveal left both recovery codes unused and the notes alone", async () => {
    const entry = await app.admin.getEntry(recoveryId);
    expect(entry.recoveryCodes.remaining).toBe(2);
    expect((await app.admin.getEntry(entryId)).notes).toBeNull();
    expect((await app.server.vault.store.auditEvents.listAuditEvents({ limit: 10_000 })).some((e) => e.action === "recovery_code.revealed")).toBe(false);
  });

  it("keeps tabs and line breaks in multi-line text, as typed, on both databases", async () => {
    const notes = "Call the registrar:\n\t+1 555 0100\r\nthen ask for ops.";
    const { entry } = await app.admin.createEntry({ name: "Multi-line", notes, fields: {}, seed: { secret: `${SEED_B32}\n` } });
    expect((await app.admin.getEntry(entry.id)).notes).toBe(notes);
    const { entry: web } = await app.admin.createEntry({ name: "Key file", templateId: "web-app-otp", fields: { password: "-----BEGIN KEY-----\nabc\n-----END KEY-----" }, seed: { secret: SEED_B32 } });
    expect((await app.admin.revealField(web.id, "password", "checking the key")).value).toBe("-----BEGIN KEY-----\nabc\n-----END KEY-----");
  });

  it("imports someone else's export whose notes hold NUL, keeping the notes without it", async () => {
    const aegis = {
      version: 1,
      header: { slots: null, params: null },
      db: { version: 2, entries: [{ type: "totp", uuid: "0b1f6e52-3b0f-4c55-9a55-5b7a1e2f0c01", name: "nul@example.com", issuer: "Nul\u0000Corp", note: "kept\u0000 notes\nline two\u0007", info: { secret: SEED_B32, algo: "SHA1", digits: 6, period: 30 } }] },
    };
    const preview = await app.admin.createImport({ data: Buffer.from(JSON.stringify(aegis)).toString("base64") });
    expect(preview.entries).toHaveLength(1);
    const { created } = await app.admin.confirmImport(preview.importId);
    const entry = await app.admin.getEntry(created[0]!.id);
    expect(entry.notes).toBe("kept notes\nline two");
    expect(entry.issuer).toBe("Nul Corp");
  });

  it("still accepts letters of every script, emoji and combining accents", async () => {
    const name = "Ca\u0301fe\u0301 ☕ Zürich 東京 👩🏽‍💻";
    const { entry } = await app.admin.createEntry({ name, issuer: "Ünïcödé", seed: { secret: SEED_B32 } });
    expect((await app.admin.getEntry(entry.id)).name).toBe(name);
  });
});
