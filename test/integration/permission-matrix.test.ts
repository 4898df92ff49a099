// The permission matrix through the HTTP API, on both databases: every role and kind of grant
// (direct, to a group, on the folder, expired, revoked) against every entry action. The expected
// answers are written out by hand below, one row per way of holding access, so the test checks
// core/policy.ts against the rules in words rather than against itself. Each row gets its own
// folder and entry, so no row's grants reach another's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { newGrantId, newGroupId, type EntryId, type FolderId, type GroupId, type UserId } from "../../src/core/ids.js";
import type { GrantPermission, GrantScope, Principal } from "../../src/core/policy.js";
import { ApiError, type WatchwordClient } from "../../src/client/client.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const HOUR = 3_600_000;

type Action = "list" | "view" | "code" | "recover" | "edit" | "revealAll" | "delete";
const ACTIONS: readonly Action[] = ["list", "view", "code", "recover", "edit", "revealAll", "delete"];
/** What an action answered: done, or refused with this status and problem key; for "list", shown or not. */
type Outcome = "ok" | "hidden" | `${403 | 404}:${string}`;

const NOT_FOUND = "404:entry_not_found";
const NOTHING: Record<Action, Outcome> = { list: "hidden", view: NOT_FOUND, code: NOT_FOUND, recover: NOT_FOUND, edit: NOT_FOUND, revealAll: NOT_FOUND, delete: NOT_FOUND };
const EVERYTHING: Record<Action, Outcome> = { list: "ok", view: "ok", code: "ok", recover: "ok", edit: "ok", revealAll: "ok", delete: "ok" };
const USE_ONLY: Record<Action, Outcome> = {
  list: "ok",
  view: "ok",
  code: "ok",
  recover: "403:recovery_code_forbidden",
  edit: "403:entry_change_forbidden",
  revealAll: "403:recovery_codes_reveal_forbidden",
  delete: "403:entry_change_forbidden",
};
const RECOVER_ONLY: Record<Action, Outcome> = { ...USE_ONLY, list: "hidden", code: "403:entry_use_forbidden", recover: "ok" };

/** Who asks, and what they hold on the row's entry. */
type Holding =
  | { readonly who: "member"; readonly grant: "none" }
  | { readonly who: "member"; readonly grant: { to: "user" | "group"; on: "entry" | "folder"; permission: GrantPermission; state: "live" | "expired" | "revoked" } }
  | { readonly who: "owner" | "admin" | "auditor" };

const live = (to: "user" | "group", on: "entry" | "folder", permission: GrantPermission) => ({ who: "member" as const, grant: { to, on, permission, state: "live" as const } });

const ROWS: readonly (readonly [string, Holding, Record<Action, Outcome>])[] = [
  ["a member with no grant", { who: "member", grant: "none" }, NOTHING],
  ["a member with use on the entry", live("user", "entry", "use"), USE_ONLY],
  ["a member with recover on the entry", live("user", "entry", "recover"), RECOVER_ONLY],
  ["a member with manage on the entry", live("user", "entry", "manage"), EVERYTHING],
  ["a member whose group has use on the entry", live("group", "entry", "use"), USE_ONLY],
  ["a member whose group has manage on the entry", live("group", "entry", "manage"), EVERYTHING],
  ["a member with use on the folder", live("user", "folder", "use"), USE_ONLY],
  ["a member with recover on the folder", live("user", "folder", "recover"), RECOVER_ONLY],
  ["a member whose group has manage on the folder", live("group", "folder", "manage"), EVERYTHING],
  ["a member whose use on the entry expired", { who: "member", grant: { to: "user", on: "entry", permission: "use", state: "expired" } }, NOTHING],
  ["a member whose group's manage on the folder expired", { who: "member", grant: { to: "group", on: "folder", permission: "manage", state: "expired" } }, NOTHING],
  ["a member whose use on the entry was revoked", { who: "member", grant: { to: "user", on: "entry", permission: "use", state: "revoked" } }, NOTHING],
  ["a member whose group's use on the folder was revoked", { who: "member", grant: { to: "group", on: "folder", permission: "use", state: "revoked" } }, NOTHING],
  ["the entry's owner (a member)", { who: "owner" }, EVERYTHING],
  ["an administrator", { who: "admin" }, EVERYTHING],
  ["an auditor", { who: "auditor" }, NOTHING],
];

describe.each(databaseKinds)("the permission matrix on %s", (kind) => {
  const clock = new ManualClock(Date.now());
  let db: TestDatabase;
  let server: TestApp;
  const clients = {} as Record<"admin" | "owner" | "member" | "auditor", WatchwordClient>;
  let adminId: UserId;
  let memberId: UserId;
  let group: GroupId;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db, { clock });
    clients.admin = await signedInClient(server, "ada", "admin");
    clients.owner = await signedInClient(server, "olu", "member");
    clients.member = await signedInClient(server, "mo", "member");
    clients.auditor = await signedInClient(server, "aud", "auditor");
    adminId = (await server.vault.store.users.findUserByUsername("ada"))!.id as UserId;
    memberId = (await server.vault.store.users.findUserByUsername("mo"))!.id as UserId;
    group = newGroupId();
    await server.vault.store.groups.insertGroup({ id: group, name: "Matrix group" }, clock.now());
    await server.vault.store.groups.addMember(group, memberId, clock.now());
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  /** A fresh folder and entry (with recovery codes) for one row; the owner's entry when the row is about ownership. */
  async function arrange(row: number, holding: Holding): Promise<{ entryId: string; asker: WatchwordClient }> {
    const folder = await clients.admin.createFolder({ name: `Row ${row}` });
    const creator = holding.who === "owner" ? clients.owner : clients.admin;
    const input = { name: `Entry ${row}`, seed: { secret: SEED }, recoveryCodes: ["alpha-1111", "bravo-2222", "charlie-3333"] };
    const { entry } = await creator.createEntry(holding.who === "owner" ? input : { ...input, folderId: folder.id });
    if (holding.who !== "member" || holding.grant === "none") return { entryId: entry.id, asker: clients[holding.who] };
    const { to, on, permission, state } = holding.grant;
    const principal: Principal = to === "user" ? { kind: "user", id: memberId } : { kind: "group", id: group };
    const scope: GrantScope = on === "entry" ? { kind: "entry", id: entry.id as EntryId } : { kind: "folder", id: folder.id as FolderId };
    const id = newGrantId();
    const expiresAt = state === "expired" ? clock.now() - 1 : clock.now() + HOUR;
    await server.vault.store.grants.insertGrant({ id, principal, scope, permission, expiresAt, accessRequestId: null, createdBy: adminId, createdAt: clock.now() - HOUR });
    if (state === "revoked") await server.vault.store.grants.revokeGrant(id, adminId, clock.now());
    return { entryId: entry.id, asker: clients.member };
  }

  async function outcome(action: Action, asker: WatchwordClient, entryId: string): Promise<Outcome> {
    const attempt: Record<Action, () => Promise<unknown>> = {
      list: async () => ((await asker.listEntries({ view: "all" })).entries.some((e) => e.id === entryId) ? "ok" : "hidden"),
      view: () => asker.getEntry(entryId),
      code: () => asker.getCode(entryId),
      recover: () => asker.revealNextRecoveryCode(entryId, "matrix check"),
      edit: () => asker.updateEntry(entryId, { notes: "edited by the matrix" }),
      revealAll: () => asker.revealAllRecoveryCodes(entryId, "matrix check"),
      delete: () => asker.deleteEntry(entryId),
    };
    try {
      const result = await attempt[action]();
      return result === "hidden" ? "hidden" : "ok";
    } catch (error) {
      if (error instanceof ApiError) return `${error.status as 403 | 404}:${error.key ?? ""}`;
      throw error;
    }
  }

  it.each(ROWS.map(([title, holding, expected], row) => [title, row, holding, expected] as const))("%s", async (_title, row, holding, expected) => {
    const { entryId, asker } = await arrange(row, holding);
    const seen: Partial<Record<Action, Outcome>> = {};
    // In this order: delete last, so every other action meets the entry.
    for (const action of ACTIONS) seen[action] = await outcome(action, asker, entryId);
    expect(seen).toEqual(expected);
    // What was refused changed nothing: the entry is as the administrator left it, codes unclaimed.
    const after = await server.vault.store.entries.findEntry(entryId);
    if (expected.delete === "ok") expect(after).toBeUndefined();
    else expect(after?.notes ?? null).toBe(expected.edit === "ok" ? "edited by the matrix" : null);
    const remaining = (await server.vault.store.recoveryCodes.countRecoveryCodes([entryId])).get(entryId)?.remaining;
    if (expected.delete !== "ok") expect(remaining).toBe(expected.recover === "ok" ? 2 : 3);
  });
});
