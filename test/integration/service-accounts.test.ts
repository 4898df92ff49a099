// Service accounts through the HTTP API on both databases: a token gets codes only inside its
// scope and its account's grants; out of scope, expired (a controllable clock), revoked, from a
// disallowed address or of a disabled account it gets 403 by key, no code and no code.issued
// event; it is refused on every other route and never works as a session cookie. The token is
// in one reply only: not in any other reply, log line, audit event, table or the SQLite file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { newGrantId, type EntryId, type FolderId, type ServiceAccountId, type UserId } from "../../src/core/ids.js";
import type { GrantPermission, GrantScope } from "../../src/core/policy.js";
import { createClient, type WatchwordClient } from "../../src/client/client.js";
import { hashApiToken } from "../../src/services/api-token-authentication.js";
import type { CreateApiTokenRequest } from "../../src/contract/service-accounts.js";
import { rejection } from "../support/api-rejection.js";
import { dumpEveryTable, readSqliteFiles } from "../support/database-dump.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const HOUR = 3_600_000;

describe.each(databaseKinds)("service accounts and API tokens on %s", (kind) => {
  const clock = new ManualClock(Date.now());
  let db: TestDatabase;
  let server: TestApp;
  let admin: WatchwordClient;
  let member: WatchwordClient;
  let adminId: UserId;
  const planted: string[] = [];
  const replies: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    admin = await signedInClient(server, "ada", "admin");
    member = await signedInClient(server, "bo", "member");
    adminId = (await server.vault.store.users.findUserByUsername("ada"))!.id as UserId;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const scriptWith = (token: string): WatchwordClient => createClient({ baseUrl: server.url, token });
  async function grant(serviceAccountId: string, scope: GrantScope, permission: GrantPermission = "use"): Promise<void> {
    const principal = { kind: "service_account", id: serviceAccountId as ServiceAccountId } as const;
    await server.vault.store.grants.insertGrant({ id: newGrantId(), principal, scope, permission, expiresAt: null, accessRequestId: null, createdBy: adminId, createdAt: clock.now() });
  }
  const onEntry = (id: string): GrantScope => ({ kind: "entry", id: id as EntryId });
  async function codeEvents(): Promise<number> {
    const events = await server.vault.store.auditEvents.listAuditEvents({ limit: 100_000 });
    return events.filter((e) => e.action === "code.issued" && e.outcome === "success").length;
  }
  async function newToken(serviceAccountId: string, request: CreateApiTokenRequest): Promise<string> {
    const created = await admin.createApiToken(serviceAccountId, request);
    planted.push(created.token);
    return created.token;
  }
  /** Refused with 403 by `key`, and nothing handed out: no new code.issued event. */
  async function expectRefused(call: () => Promise<unknown>, key: string): Promise<void> {
    const before = await codeEvents();
    const error = await rejection(call());
    expect({ status: error.status, key: error.key }).toEqual({ status: 403, key });
    expect(await codeEvents()).toBe(before);
  }

  it("gives a script the code of an entry in its token's scope and grants, audited in the service account's name", async () => {
    const { entry } = await admin.createEntry({ name: "AWS root", seed: { secret: SEED } });
    const account = await admin.createServiceAccount({ name: "deploy-bot", description: "Release pipeline" });
    await grant(account.id, onEntry(entry.id));
    const created = await admin.createApiToken(account.id, { label: "CI", scope: { entryIds: [entry.id], folderIds: [], permissions: ["use"] } });
    planted.push(created.token);
    expect(created.token).toMatch(/^ww_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ serviceAccountName: "deploy-bot", label: "CI", state: "active", lastUsedAt: null, scope: { entryIds: [entry.id] } });

    const script = scriptWith(created.token);
    const code = await script.getCode(entry.id);
    if (hasOathtool) expect(code.code).toBe(runOathtool("--totp", "-b", `--now=@${code.validFrom}`, SEED));
    expect((await script.listEntries()).entries.map((e) => e.name)).toEqual(["AWS root"]);
    expect((await script.batchCodes()).codes.map((c) => c.entryId)).toEqual([entry.id]);

    const events = await server.vault.store.auditEvents.listAuditEvents({ limit: 100_000 });
    const issued = events.filter((e) => e.action === "code.issued" && e.actorType === "service_account");
    expect(issued.length).toBe(2);
    expect(issued[0]).toMatchObject({ actorId: account.id, actorName: "deploy-bot", entryId: entry.id, channel: "api" });
    expect(JSON.parse(issued[0]!.details)).toMatchObject({ apiTokenId: created.id });

    const [listed] = (await admin.listApiTokens(account.id)).tokens;
    replies.push(JSON.stringify(listed));
    expect(listed).toMatchObject({ id: created.id, lastUsedIp: "127.0.0.1", state: "active" });
    expect(Date.parse(listed!.lastUsedAt!)).toBe(clock.now());
    replies.push(JSON.stringify(await admin.listServiceAccounts()));
  });

  it("advances an HOTP counter for a token through POST, and reveals a recovery code with the recover permission", async () => {
    const { entry } = await admin.createEntry({ name: "VPN token", seed: { uri: `otpauth://hotp/VPN?secret=${SEED}&counter=3` }, recoveryCodes: ["ALPHA-1111", "BRAVO-2222"] });
    const account = await admin.createServiceAccount({ name: "vpn-bot" });
    await grant(account.id, onEntry(entry.id), "manage");
    const token = await newToken(account.id, { scope: { entryIds: [entry.id], folderIds: [], permissions: ["use", "recover"] } });
    const script = scriptWith(token);
    const first = await script.takeCode(entry.id);
    const second = await script.takeCode(entry.id);
    if (hasOathtool) expect([first.code, second.code]).toEqual(runOathtool("--hotp", "-c", "3", "-w", "1", "-b", SEED).split("\n"));
    expect(await script.revealNextRecoveryCode(entry.id, "pipeline break-glass drill")).toEqual({ code: "ALPHA-1111", remaining: 1 });
    // Manage is never a token's, whatever the grant says.
    await expectRefused(() => script.revealAllRecoveryCodes(entry.id, "want them all"), "service_account_forbidden");
  });

  it("refuses a token outside its scope: another entry, another folder, manage, recover without the permission", async () => {
    const folder = await admin.createFolder({ name: "Cloud roots" });
    const other = await admin.createFolder({ name: "Banks" });
    const inside = (await admin.createEntry({ name: "GCP root", folderId: folder.id, seed: { secret: SEED }, recoveryCodes: ["CHARLIE-3333"] })).entry;
    const elsewhere = (await admin.createEntry({ name: "Bank portal", folderId: other.id, seed: { secret: SEED } })).entry;
    const loose = (await admin.createEntry({ name: "Registrar", seed: { secret: SEED } })).entry;
    const account = await admin.createServiceAccount({ name: "cloud-bot" });
    // Grants reach everything: only the token's scope holds the script back.
    for (const f of [folder.id, other.id]) await grant(account.id, { kind: "folder", id: f as FolderId }, "manage");
    await grant(account.id, onEntry(loose.id), "manage");
    const script = scriptWith(await newToken(account.id, { scope: { entryIds: [], folderIds: [folder.id], permissions: ["use"] } }));

    await script.getCode(inside.id);
    await expectRefused(() => script.getCode(loose.id), "api_token_out_of_scope");
    await expectRefused(() => script.getCode(elsewhere.id), "api_token_out_of_scope");
    await expectRefused(() => script.takeCode(elsewhere.id), "api_token_out_of_scope");
    await expectRefused(() => script.getCode("00000000-0000-4000-8000-000000000000"), "api_token_out_of_scope");
    await expectRefused(() => script.updateEntry(inside.id, { notes: "mine" }), "service_account_forbidden");
    await expectRefused(() => script.deleteEntry(inside.id), "service_account_forbidden");
    await expectRefused(() => script.revealNextRecoveryCode(inside.id, "no recover permission"), "api_token_permission_missing");
    expect((await admin.getEntry(inside.id)).recoveryCodes.remaining).toBe(1);
    expect((await script.batchCodes()).codes.map((c) => c.entryId)).toEqual([inside.id]);
    expect((await script.listEntries({ view: "all" })).entries.map((e) => e.name)).toEqual(["GCP root"]);
  });

  it("records a token's last use at most once a minute, not on every request", async () => {
    const { entry } = await admin.createEntry({ name: "Throttled", seed: { secret: SEED } });
    const account = await admin.createServiceAccount({ name: "busy-bot" });
    await grant(account.id, onEntry(entry.id));
    const script = scriptWith(await newToken(account.id, { scope: { entryIds: [entry.id], folderIds: [], permissions: ["use"] } }));
    const lastUse = async () => (await admin.listApiTokens(account.id)).tokens[0]!.lastUsedAt;
    const first = clock.now();
    await script.getCode(entry.id);
    clock.advance(59_999);
    await script.getCode(entry.id);
    await script.listEntries();
    expect(await lastUse()).toBe(new Date(first).toISOString());
    clock.advance(1);
    await script.getCode(entry.id);
    expect(await lastUse()).toBe(new Date(first + 60_000).toISOString());
  });

  it("refuses an entry in scope that the service account holds no grant on", async () => {
    const { entry } = await admin.createEntry({ name: "Payroll", seed: { secret: SEED } });
    const account = await admin.createServiceAccount({ name: "payroll-bot" });
    const script = scriptWith(await newToken(account.id, { scope: { entryIds: [entry.id], folderIds: [], permissions: ["use"] } }));
    await expectRefused(() => script.getCode(entry.id), "service_account_not_granted");
    expect((await script.listEntries()).entries).toEqual([]);
  });

  it("refuses an expired token from its expiry instant, a revoked one at once, and every token of a disabled account", async () => {
    const { entry } = await admin.createEntry({ name: "Vendor console", seed: { secret: SEED } });
    const account = await admin.createServiceAccount({ name: "vendor-bot" });
    await grant(account.id, onEntry(entry.id));
    const scope = { entryIds: [entry.id], folderIds: [], permissions: ["use" as const] };
    const expiring = scriptWith(await newToken(account.id, { scope, expiresInSeconds: 3600 }));
    const revoked = await admin.createApiToken(account.id, { scope });
    planted.push(revoked.token);
    const steady = scriptWith(await newToken(account.id, { scope }));

    await expiring.getCode(entry.id);
    clock.advance(HOUR - 1);
    await expiring.getCode(entry.id);
    clock.advance(1);
    await expectRefused(() => expiring.getCode(entry.id), "api_token_expired");
    await expectRefused(() => expiring.batchCodes(), "api_token_expired");
    await expectRefused(() => expiring.listEntries(), "api_token_expired");

    await scriptWith(revoked.token).getCode(entry.id);
    expect((await admin.revokeApiToken(revoked.id)).state).toBe("revoked");
    await expectRefused(() => scriptWith(revoked.token).getCode(entry.id), "api_token_revoked");
    // Revoking again changes nothing and says so.
    expect((await admin.revokeApiToken(revoked.id)).state).toBe("revoked");

    await steady.getCode(entry.id);
    expect((await admin.disableServiceAccount(account.id)).disabledAt).not.toBeNull();
    await expectRefused(() => steady.getCode(entry.id), "service_account_disabled");
    await expectRefused(() => steady.takeCode(entry.id), "service_account_disabled");
    // An hour after the sign-in its sudo window has passed: making a token needs the password again.
    expect((await rejection(admin.createApiToken(account.id, { scope }))).key).toBe("reauthentication_required");
    await admin.reauthenticate({ password: "plum-orbit-lantern-4417" });
    expect((await rejection(admin.createApiToken(account.id, { scope }))).key).toBe("api_token_service_account_disabled");
    await admin.enableServiceAccount(account.id);
    await steady.getCode(entry.id);
    await expectRefused(() => scriptWith(revoked.token).getCode(entry.id), "api_token_revoked");
    const states = Object.fromEntries((await admin.listApiTokens(account.id)).tokens.map((t) => [t.state, true]));
    expect(states).toEqual({ active: true, expired: true, revoked: true });
  });

  it("refuses a token from an address outside its allowlist (the server sees 127.0.0.1)", async () => {
    const { entry } = await admin.createEntry({ name: "Firewall", seed: { secret: SEED } });
    const account = await admin.createServiceAccount({ name: "net-bot" });
    await grant(account.id, onEntry(entry.id));
    const scope = { entryIds: [entry.id], folderIds: [], permissions: ["use" as const] };
    const office = scriptWith(await newToken(account.id, { scope, allowedCidrs: ["10.0.0.0/8"] }));
    await expectRefused(() => office.getCode(entry.id), "api_token_address_refused");
    await expectRefused(() => office.batchCodes(), "api_token_address_refused");
    const local = await admin.createApiToken(account.id, { scope, allowedCidrs: ["127.0.0.1/32", "2001:db8::/32"] });
    planted.push(local.token);
    expect(local.allowedCidrs).toEqual(["127.0.0.1/32", "2001:db8::/32"]);
    await scriptWith(local.token).getCode(entry.id);
  });

  it("refuses a service account's token on every route but the code routes, and as a session cookie", async () => {
    const account = await admin.createServiceAccount({ name: "nosy-bot" });
    const { entry } = await admin.createEntry({ name: "Nosy target", seed: { secret: SEED } });
    const token = await newToken(account.id, { scope: { entryIds: [entry.id], folderIds: [], permissions: ["use", "recover"] } });
    const script = scriptWith(token);
    const refusals: (() => Promise<unknown>)[] = [
      () => script.getSession(),
      () => script.getEntry(entry.id),
      () => script.createEntry({ name: "Planted", seed: { secret: SEED } }),
      () => script.listFolders(),
      () => script.createFolder({ name: "Mine" }),
      () => script.listTemplates(),
      () => script.listServiceAccounts(),
      () => script.createServiceAccount({ name: "child-bot" }),
      () => script.createApiToken(account.id, { scope: { entryIds: [entry.id], folderIds: [], permissions: ["use"] } }),
      () => script.listApiTokens(),
      () => script.unlockUser("ada"),
      () => script.createImport({ data: "b3RwYXV0aDovL3RvdHAvWD9zZWNyZXQ9SkJTV1kzRFBFSFBLM1BYUA==" }),
      () => script.revealField(entry.id, "password", "just looking"),
    ];
    for (const refused of refusals) expect(await rejection(refused())).toMatchObject({ status: 403, key: "service_account_forbidden" });
    expect((await admin.listServiceAccounts()).serviceAccounts.map((a) => a.name)).not.toContain("child-bot");

    // As the browser's cookie: not a session, so not signed in.
    for (const path of ["/api/v1/session", "/api/v1/entries", `/api/v1/entries/${entry.id}/code`]) {
      const reply = await fetch(`${server.url}${path}`, { headers: { cookie: `__Host-ww_session=${token}` } });
      expect(reply.status, path).toBe(401);
      expect(((await reply.json()) as { key: string }).key).toBe("sign_in_required");
    }
    // Unknown and malformed tokens.
    for (const bad of [`ww_${"A".repeat(43)}`, `${token}x`, `ww_${"x".repeat(5000)}`]) {
      expect(await rejection(scriptWith(bad).getCode(entry.id))).toMatchObject({ status: 401, key: "token_invalid" });
    }
  });

  it("lets administrators alone manage service accounts and tokens, refusing hostile input by key with nothing stored", async () => {
    expect(await rejection(member.listServiceAccounts())).toMatchObject({ status: 403, key: "service_accounts_admin_only" });
    expect(await rejection(member.createServiceAccount({ name: "member-bot" }))).toMatchObject({ status: 403, key: "service_accounts_admin_only" });
    expect(await rejection(member.listApiTokens())).toMatchObject({ status: 403, key: "service_accounts_admin_only" });
    const account = await admin.createServiceAccount({ name: "strict-bot" });
    const { entry } = await admin.createEntry({ name: "Strict target", seed: { secret: SEED } });
    expect(await rejection(member.revokeApiToken("00000000-0000-4000-8000-000000000000"))).toMatchObject({ status: 403 });
    expect(await rejection(admin.createServiceAccount({ name: "STRICT-bot" }))).toMatchObject({ status: 409, key: "service_account_name_taken" });
    for (const name of ["", "x".repeat(65), "   "]) expect((await rejection(admin.createServiceAccount({ name }))).status).toBe(400);
    expect(await rejection(admin.createServiceAccount({ name: "bell\u0007bot" }))).toMatchObject({ status: 400 });

    const scope = { entryIds: [entry.id], folderIds: [], permissions: ["use" as const] };
    const hostile: [unknown, string][] = [
      [{ scope: { entryIds: [], folderIds: [], permissions: ["use"] } }, "api_token_scope_empty"],
      [{ scope: { ...scope, entryIds: ["00000000-0000-4000-8000-000000000000"] } }, "api_token_entry_unknown"],
      [{ scope: { ...scope, folderIds: ["00000000-0000-4000-8000-000000000000"] } }, "api_token_folder_unknown"],
      [{ scope: { ...scope, permissions: ["manage"] } }, "field_not_allowed"],
      [{ scope: { ...scope, permissions: [] } }, "field_too_few_items"],
      [{ scope: { ...scope, entryIds: ["not-a-uuid"] } }, "field_wrong_format"],
      [{ scope, expiresInSeconds: 1 }, "field_below_minimum"],
      [{ scope, allowedCidrs: Array.from({ length: 21 }, () => "10.0.0.0/8") }, "field_too_many_items"],
      [{ scope, label: "x".repeat(101) }, "field_too_long"],
      [{ scope, token: "ww_mine" }, "field_not_expected"],
    ];
    for (const [body, key] of hostile) {
      const error = await rejection(admin.createApiToken(account.id, body as CreateApiTokenRequest));
      expect({ status: error.status, key: error.key }, JSON.stringify(body).slice(0, 80)).toEqual({ status: 400, key });
    }
    for (const cidr of ["10.0.0.0/33", "999.1.1.1", "not an address", "x".repeat(64)]) {
      expect((await rejection(admin.createApiToken(account.id, { scope, allowedCidrs: [cidr] }))).status).toBe(400);
    }
    expect(await rejection(admin.createApiToken("00000000-0000-4000-8000-000000000000", { scope }))).toMatchObject({ status: 404, key: "service_account_not_found" });
    expect(await rejection(admin.revokeApiToken("00000000-0000-4000-8000-000000000000"))).toMatchObject({ status: 404, key: "api_token_not_found" });
    expect(await rejection(admin.listApiTokens("00000000-0000-4000-8000-000000000000"))).toMatchObject({ status: 404, key: "service_account_not_found" });
    expect((await admin.listApiTokens(account.id)).tokens).toEqual([]);
    const events = await server.vault.store.auditEvents.listAuditEvents({ limit: 100_000 });
    expect(events.filter((e) => e.action === "api_token.created" && e.details.includes(account.id))).toEqual([]);
  });

  it("keeps every token out of later replies, logs, audit events, every table and the SQLite file", async () => {
    expect(planted.length).toBeGreaterThan(5);
    replies.push(JSON.stringify(await admin.listApiTokens()), JSON.stringify(await admin.listServiceAccounts()));
    const haystacks = { replies: replies.join("\n"), logs: server.logs.join(""), tables: await dumpEveryTable(db), file: await readSqliteFiles(db) };
    // The search reads what it claims to: the stored hashes are there, the tokens are not.
    expect(haystacks.tables).toContain("api_token.created");
    expect(haystacks.tables).toContain(hashApiToken(planted[0]!));
    for (const token of planted) {
      for (const [where, text] of Object.entries(haystacks)) {
        expect(text.includes(token), where).toBe(false);
        expect(text.includes(token.slice(3)), where).toBe(false);
      }
    }
  });
});
