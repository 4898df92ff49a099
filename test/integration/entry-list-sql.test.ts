// "My entries" in SQL against a straightforward reference, on SQLite and PostgreSQL: a few
// hundred entries with names full of LIKE wildcards (% _ and the escape !), accents in both
// forms and case, grants to users, groups, folders and a service account, live, expired and
// revoked; every page of the paged SQL listing, put end to end, is exactly what the reference
// (decide() per entry, the search rule written out plainly, by name) gives, and what the listing
// of before the list moved to SQL (every id, then the filter in JavaScript) gives. The tags the
// list's filter offers (GET /api/v1/entry-tags) are those of exactly the entries the reference
// lists, every page, each with how many of them carry it.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { EntryId, FolderId, GroupId, SessionId } from "../../src/core/ids.js";
import { entrySearchOf } from "../../src/core/entry-search.js";
import { nameKey } from "../../src/core/name-key.js";
import { describeEntryAccess, evaluateEntryAccess } from "../../src/core/policy-rule.js";
import type { EntryFacts, Grant, GrantPermission, PolicyActor } from "../../src/core/policy.js";
import { ENTRY_PAGE_MAX, type EntryListQuery } from "../../src/contract/entries.js";
import { createAccessService } from "../../src/services/access.js";
import type { Caller } from "../../src/services/actor.js";
import { cursorOf, listEntryPage, listEntryTags } from "../../src/services/entry-listing.js";
import type { EntryRecord } from "../../src/store/entries.js";
import { openStore, type Store } from "../../src/store/store.js";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases.js";
import { HOUR, NOW, entryId, folderId, grantId, groupId, serviceAccountId, token, userId } from "../support/policy-fixtures.js";
import { seedFolder, seedUser } from "../support/policy-seed.js";
import { signedInClient, startTestApp, type TestApp } from "../support/test-app.js";

const WORDS = ["Café", "CAFÉ", "cafe", "Cafe\u0301", "50%", "100% off", "a_b", "a-b", "ab", "x%_y", "!bang", "back\\slash", "İstanbul", "istanbul", "Straße", "STRASSE", "Ωmega", "ǅemal", "AWS", "aws-prod", "GitHub", "gitlab", "Zoë", "zoe", "日本", "smile 😀", "ΟΔΟΣ", "οδος", "Ærø"];
const ACCOUNTS = ["alice@example.com", "Bob_Smith", "carol%", "DÉSIRÉE", "ops!team"];
const TAGS = ["prod", "dev", "50%", "a_b", "é-tag", "ops"];
const NEEDLES = ["%", "_", "!", "\\", "a_b", "%_", "x%", "é", "É", "e\u0301", "i\u0307", "ss", "ß", "caf", "CAF", "  aws  ", "", "   ", "nothing-like-it", "😀", "@example", "1", "2", "ς", "σ", "STRASSE", "strasse", "ISTANBUL", "cafe aws", "É 1", "a_b  prod", "zoe\tgit", "ærø"];
const ENTRY_COUNT = 300;
const ADMIN = 1;

/** A small deterministic generator: the same data on both databases, run after run. */
function randomSource(seed: number) {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  return { next, pick, chance: (p: number) => next() < p };
}

/**
 * The search rule written out plainly: each field and the query folded (lower case, canonical
 * decomposition, combining marks dropped, then the full case folding of ß, ς and ſ), and every
 * word of the query found in some field.
 */
const fold = (text: string): string =>
  [...text.toLowerCase().normalize("NFD")]
    .filter((c) => !/\p{M}/u.test(c))
    .join("")
    .replaceAll("ß", "ss")
    .replaceAll("ς", "σ")
    .replaceAll("ſ", "s");

function matchesReference(entry: EntryRecord, query: EntryListQuery): boolean {
  if (query.folderId === "none" && entry.folderId !== null) return false;
  if (query.folderId !== undefined && query.folderId !== "none" && entry.folderId !== query.folderId) return false;
  if (query.tag !== undefined && !entry.tags.includes(query.tag.toLowerCase())) return false;
  const words = fold(query.q ?? "").split(/\s+/).filter((word) => word !== "");
  const fields = [entry.name, entry.issuer, entry.account, ...entry.tags].filter((field): field is string => field !== null).map(fold);
  return words.every((word) => fields.some((field) => field.includes(word)));
}

/** Code point order: SQLite's binary collation and PostgreSQL's C.UTF-8 both compare so. */
const byCodePoint = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

const origin = { ip: "10.1.2.3", userAgent: "test", channel: "api" } as const;

interface Person {
  readonly label: string;
  readonly caller: Caller;
  readonly facts: PolicyActor;
}

function person(n: number, role: "admin" | "member" | "auditor", groups: number[]): Person {
  const groupIds = groups.map(groupId) as GroupId[];
  return {
    label: `user ${n} (${role})`,
    caller: { kind: "user", userId: userId(n), username: `user-${n}`, displayName: `User ${n}`, role, groupIds, sessionId: "s" as SessionId, origin },
    facts: { kind: "user", userId: userId(n), role, groupIds, isDisabled: false },
  };
}

const botToken = token({ folders: [1], entries: [5, 6, 7, 8, 9, 10], permissions: ["use"] });
const PEOPLE: readonly Person[] = [
  person(ADMIN, "admin", [1]),
  person(2, "member", [1]),
  person(3, "member", [2, 3]),
  person(4, "auditor", [1]),
  person(5, "member", []),
  {
    label: "service account",
    caller: { kind: "service_account", serviceAccountId: serviceAccountId(1), name: "bot-1", isDisabled: false, token: botToken, origin },
    facts: { kind: "service_account", serviceAccountId: serviceAccountId(1), isDisabled: false, token: botToken, address: origin.ip },
  },
];

interface Dataset {
  readonly entries: EntryRecord[];
  readonly grants: Grant[];
  readonly approvals: Map<string, number>;
}

function makeDataset(): Dataset {
  const random = randomSource(20261201);
  const entries: EntryRecord[] = [];
  for (let i = 1; i <= ENTRY_COUNT; i++) {
    const tags = TAGS.filter(() => random.chance(0.2));
    entries.push({
      id: entryId(i),
      // The number keeps names unique in a folder; the words make the order and the matches.
      name: `${random.pick(WORDS)} ${random.chance(0.5) ? random.pick(WORDS) : ""} ${i}`.replace(/ +/g, " "),
      folderId: random.chance(0.2) ? null : folderId(1 + Math.floor(random.next() * 4)),
      templateId: "otp-only",
      issuer: random.chance(0.5) ? random.pick(WORDS) : null,
      account: random.chance(0.5) ? random.pick(ACCOUNTS) : null,
      url: null,
      username: null,
      notes: null,
      tags,
      ownerId: userId(1 + Math.floor(random.next() * 5)),
      otpType: null,
      otpAlgorithm: null,
      otpDigits: null,
      otpPeriod: null,
      hotpCounter: 0,
      seedSealed: null,
      seedUpdatedAt: null,
      createdAt: 1_000,
      updatedAt: 1_000,
    });
  }
  const principals: Grant["principal"][] = [
    { kind: "user", id: userId(2) },
    { kind: "user", id: userId(3) },
    { kind: "user", id: userId(5) },
    { kind: "group", id: groupId(1) },
    { kind: "group", id: groupId(2) },
    { kind: "group", id: groupId(3) },
    { kind: "service_account", id: serviceAccountId(1) },
  ];
  const grants: Grant[] = [];
  for (let i = 1; i <= 120; i++) {
    const onFolder = random.chance(0.15);
    grants.push({
      id: grantId(i),
      principal: random.pick(principals),
      scope: onFolder ? { kind: "folder", id: folderId(1 + Math.floor(random.next() * 4)) as FolderId } : { kind: "entry", id: entryId(1 + Math.floor(random.next() * ENTRY_COUNT)) as EntryId },
      permission: random.pick<GrantPermission>(["use", "recover", "manage"]),
      expiresAt: random.pick([null, null, NOW - HOUR, NOW + HOUR]),
      revokedAt: random.chance(0.15) ? NOW - 2 * HOUR : null,
      accessRequestId: null,
    });
  }
  const approvals = new Map(entries.filter(() => random.chance(0.1)).map((e) => [e.id, 1]));
  return { entries, grants, approvals };
}

/** What the list must show: decide()'s rule entry by entry, the search rule, by name. */
function reference(data: Dataset, who: Person, query: EntryListQuery): string[] {
  const description = describeEntryAccess(who.facts, "use", NOW, "waived");
  if (description.kind === "denied") return [];
  const rule = query.view === "all" ? description.rule : { ...description.rule, everyEntry: false };
  const facts = (e: EntryRecord): EntryFacts => ({ kind: "entry", id: e.id as EntryId, folderId: e.folderId as FolderId | null, ownerId: e.ownerId as EntryFacts["ownerId"], approvalsRequired: data.approvals.get(e.id) ?? 0, emergencyAccess: false, approverGroupId: null });
  return data.entries
    .filter((e) => evaluateEntryAccess(rule, facts(e), data.grants).allowed && matchesReference(e, query))
    .sort((a, b) => byCodePoint(nameKey(a.name), nameKey(b.name)) || byCodePoint(a.id, b.id))
    .map((e) => e.id);
}

const queryArb = (data: Dataset) => {
  const fields = data.entries.flatMap((e) => [e.name, e.issuer, e.account, ...e.tags].filter((v): v is string => v !== null));
  const slice = fc.tuple(fc.constantFrom(...fields), fc.nat(), fc.integer({ min: 1, max: 6 }), fc.boolean()).map(([text, start, length, upper]) => {
    const from = start % text.length;
    const part = text.slice(from, from + length);
    return upper ? part.toUpperCase() : part;
  });
  // Two words, from two fields or two entries: each must be found, in any field.
  const words = fc.tuple(slice, slice, fc.constantFrom(" ", "  ", "\t")).map(([a, b, space]) => `${a}${space}${b}`);
  return fc.record(
    {
      who: fc.constantFrom(...PEOPLE),
      view: fc.constantFrom<EntryListQuery["view"]>("mine", "all", undefined),
      q: fc.oneof(fc.constantFrom(...NEEDLES), fc.constantFrom(...WORDS), slice, words),
      folderId: fc.constantFrom(folderId(1), folderId(3), "none"),
      tag: fc.constantFrom(...TAGS, "PROD", "É-TAG", "none"),
      limit: fc.integer({ min: 1, max: 40 }),
    },
    { requiredKeys: ["who", "limit"] },
  );
};

describe.each(databaseKinds)("the entry list in SQL on %s", (kind) => {
  let db: TestDatabase;
  let store: Store;
  let data: Dataset;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, ...(db.postgresSchema ? { postgresSchema: db.postgresSchema } : {}) });
    await store.migrate();
    data = makeDataset();
    for (const n of [1, 2, 3, 4, 5]) await seedUser(store, userId(n), n === ADMIN ? "admin" : n === 4 ? "auditor" : "member");
    for (const n of [1, 2, 3, 4]) await seedFolder(store, folderId(n) as FolderId);
    for (const n of [1, 2, 3]) await store.groups.insertGroup({ id: groupId(n), name: `Group ${n}` }, NOW);
    await store.serviceAccounts.insertServiceAccount({ id: serviceAccountId(1), name: "bot-1", description: null, createdBy: null, createdAt: NOW });
    // Entries as the importer writes them, several at once, then some edited one field at a
    // time, so that the search text the store keeps is the one of their latest values.
    const edited = new Set(data.entries.filter((_, i) => i % 10 === 0).map((e) => e.id));
    await store.entries.insertEntries(data.entries.map((e) => (edited.has(e.id) ? { ...e, name: `Before ${e.id}`, issuer: "Old Issuer", account: null, tags: ["old"] } : e)));
    for (const e of data.entries.filter((entry) => edited.has(entry.id))) {
      await store.entries.updateEntry(e.id, { name: e.name }, NOW);
      await store.entries.updateEntry(e.id, { issuer: e.issuer, account: e.account }, NOW);
      await store.entries.updateEntry(e.id, { tags: e.tags }, NOW);
    }
    for (const [id, approvalsRequired] of data.approvals) await store.accessPolicies.setEntryPolicy(id as EntryId, { approvalsRequired, emergencyAccess: false }, NOW);
    for (const g of data.grants) {
      await store.grants.insertGrant({ ...g, createdBy: null, createdAt: NOW - 3 * HOUR });
      if (g.revokedAt !== null) await store.grants.revokeGrant(g.id, null, g.revokedAt);
    }
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const pagesOf = async (who: Person, query: EntryListQuery): Promise<string[][]> => {
    const access = createAccessService({ store, clock });
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listEntryPage({ store, access }, who.caller, { ...query, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(page.entries.map((e) => e.record.id));
      if (page.nextCursor === null) return pages;
      cursor = page.nextCursor;
    }
  };

  it("pages through exactly the entries the reference lists, for searches with wildcards, accents and case", async () => {
    let listed = 0;
    await fc.assert(
      fc.asyncProperty(queryArb(data), async ({ who, limit, ...filters }) => {
        const query: EntryListQuery = { ...filters, limit: String(limit) };
        const expected = reference(data, who, query);
        const pages = await pagesOf(who, query);
        expect(pages.flat()).toEqual(expected);
        // SQL alone already chooses them: the check in JavaScript after it removes nothing, so
        // nothing is read in vain.
        const description = createAccessService({ store, clock }).listing(who.caller, "use", query.view ?? "mine", "waived");
        const chosen = await store.policyListing.listEntries(description, entrySearchOf(query), { limit: ENTRY_PAGE_MAX + 1 });
        expect(chosen.map((e) => e.record.id)).toEqual(expected);
        // Every page but the last is full, and the last is empty only for an empty list.
        pages.slice(0, -1).forEach((page) => expect(page).toHaveLength(limit));
        expect(pages.at(-1)!.length > 0 || expected.length === 0).toBe(true);
        listed += expected.length;
      }),
      { numRuns: 60, seed: 11 },
    );
    // Worth something only if the searches found entries.
    expect(listed).toBeGreaterThan(120);
  }, 60_000);

  it("lists what the listing of before listed: every id the rule allows, then the search rule in JavaScript", async () => {
    const access = createAccessService({ store, clock });
    for (const who of PEOPLE) {
      for (const query of [{}, { view: "all" as const }, { q: "café" }, { q: "%" }, { q: "_" }, { q: "É", view: "all" as const }, { tag: "A_B", view: "all" as const }, { q: "a", folderId: folderId(2) }, { q: "strasse istanbul", view: "all" as const }, { q: "CAFE", folderId: "none", view: "all" as const }]) {
        const before = (await store.entries.listEntries(await access.listIds(who.caller, "use", query.view ?? "mine", "waived"))).filter((e) => matchesReference(e, query)).map((e) => e.id);
        expect((await pagesOf(who, { ...query, limit: "1000" })).flat()).toEqual(before);
        expect(before).toEqual(reference(data, who, query));
      }
    }
  });

  it("offers the tags of exactly the entries the reference lists, each with how many carry it, in one query", async () => {
    const access = createAccessService({ store, clock });
    let counted = 0;
    for (const who of PEOPLE) {
      for (const view of ["mine", "all"] as const) {
        const listed = new Set(reference(data, who, { view }));
        const counts = new Map<string, number>();
        for (const e of data.entries) if (listed.has(e.id)) for (const tag of e.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
        const expected = [...counts].map(([tag, entries]) => ({ tag, entries })).sort((a, b) => b.entries - a.entries || byCodePoint(a.tag, b.tag));
        expect(await listEntryTags({ store, access }, who.caller, { view }), `${who.label} ${view}`).toEqual({ tags: expected, isComplete: true });
        counted += expected.length;
      }
    }
    // The edited entries' former tag is nobody's now; the data has tags for most people.
    expect(counted).toBeGreaterThan(30);
    const everyEntry = access.listing(PEOPLE[0]!.caller, "use", "all", "waived");
    const top = await store.policyListing.listTags(everyEntry, 2);
    expect(top).toEqual((await store.policyListing.listTags(everyEntry, 100)).slice(0, 2));
    expect(top).toHaveLength(2);
    expect(await store.policyListing.listTags({ kind: "denied", reason: "role_forbids" }, 100)).toEqual([]);
  });

  it("reads a page by index: the name index alone for every entry, the grants' and owner's indexes for a member", async () => {
    // EXPLAIN differs by dialect (PostgreSQL's: entry-search-index.test.ts); what must hold is
    // that no plan sorts every entry or scans the grants table whole.
    if (kind !== "sqlite") return;
    const { CompiledQuery } = await import("kysely");
    const { openDatabase } = await import("../../src/store/connect.js");
    const { entryPageQuery } = await import("../../src/store/policy-listing.js");
    const raw = openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    try {
      const access = createAccessService({ store, clock });
      const planOf = async (who: Person, query: EntryListQuery): Promise<string> => {
        const description = access.listing(who.caller, "use", query.view ?? "mine", "waived");
        if (description.kind !== "rule") throw new Error(`${who.label} lists nothing`);
        const compiled = entryPageQuery(raw.db, description.rule, entrySearchOf(query), { limit: 101 }).compile();
        const { rows } = await raw.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
        return rows.map((r) => r.detail).join("\n");
      };
      const all = await planOf(PEOPLE[0]!, { view: "all", q: "caf" });
      expect(all).toMatch(/SCAN e USING COVERING INDEX entries_name/);
      expect(all).not.toMatch(/TEMP B-TREE/);
      const mine = await planOf(PEOPLE[1]!, { q: "caf" });
      expect(mine).toMatch(/entries_owner/);
      expect(mine).toMatch(/grants_user_id/);
      expect(mine).toMatch(/entries_folder_listing/);
      expect(mine).not.toMatch(/SCAN g\b/);
    } finally {
      await raw.close();
    }
  });
});

describe("the entry list over HTTP", () => {
  let db: TestDatabase;
  let server: TestApp;
  let admin: Awaited<ReturnType<typeof signedInClient>>;

  beforeAll(async () => {
    db = await createTestDatabase("sqlite");
    server = await startTestApp(db);
    admin = await signedInClient(server, "paging-admin");
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("pages by nextCursor, and the client's listAllEntries follows it to the end", async () => {
    for (const name of ["b 50%", "a_1", "A%2", "c", "Ç"]) await admin.createEntry({ name, seed: { secret: "JBSWY3DPEHPK3PXP" } });
    const first = await admin.listEntries({ limit: "2" });
    // By name key, in code point order: "%" (U+0025) before "_" (U+005F).
    expect(first.entries.map((e) => e.name)).toEqual(["A%2", "a_1"]);
    const second = await admin.listEntries({ limit: "2", cursor: first.nextCursor! });
    expect(second.entries.map((e) => e.name)).toEqual(["b 50%", "c"]);
    const third = await admin.listEntries({ limit: "2", cursor: second.nextCursor! });
    expect(third).toMatchObject({ entries: [{ name: "Ç" }], nextCursor: null });
    expect((await admin.listAllEntries()).entries).toHaveLength(5);
    expect((await admin.listEntries({ q: "%" })).entries.map((e) => e.name)).toEqual(["A%2", "b 50%"]);
    // Accents are ignored: "ç" finds "c" and "Ç".
    expect((await admin.listEntries({ q: "ç" })).entries.map((e) => e.name)).toEqual(["c", "Ç"]);
    expect((await admin.listEntries({ q: "B 50" })).entries.map((e) => e.name)).toEqual(["b 50%"]);
  });

  it("answers the tags a caller's list can show, with their counts, and refuses an unknown view", async () => {
    await admin.createEntry({ name: "tagged one", tags: ["Prod", "ops"], seed: { secret: "JBSWY3DPEHPK3PXP" } });
    await admin.createEntry({ name: "tagged two", tags: ["prod"], seed: { secret: "JBSWY3DPEHPK3PXP" } });
    const member = await signedInClient(server, "tag-member", "member");
    await member.createEntry({ name: "mine", tags: ["personal"], seed: { secret: "JBSWY3DPEHPK3PXP" } });
    expect(await admin.listEntryTags({ view: "all" })).toEqual({ tags: [{ tag: "prod", entries: 2 }, { tag: "ops", entries: 1 }, { tag: "personal", entries: 1 }], isComplete: true });
    // "mine" of an administrator: the entries they own.
    expect((await admin.listEntryTags()).tags.map((t) => t.tag)).toEqual(["prod", "ops"]);
    // A member asking for every entry gets their own list's tags, as GET /entries answers them.
    expect(await member.listEntryTags({ view: "all" })).toEqual({ tags: [{ tag: "personal", entries: 1 }], isComplete: true });
    const auditor = await signedInClient(server, "tag-auditor", "auditor");
    expect(await auditor.listEntryTags()).toEqual({ tags: [], isComplete: true });
    await expect(admin.listEntryTags({ view: "every" as "all" })).rejects.toMatchObject({ status: 400 });
    await expect(server.newClient().listEntryTags()).rejects.toMatchObject({ status: 401 });
  });

  it("goes on past a full page of the largest size", async () => {
    // Written straight to the store: a thousand creates through the API would be minutes here.
    const model = (await server.vault.store.entries.findEntry((await admin.listEntries({ limit: "1" })).entries[0]!.id))!;
    const many = Array.from({ length: ENTRY_PAGE_MAX + 5 }, (_, i) => ({ ...model, id: randomUUID(), name: `many ${String(i).padStart(5, "0")}` }));
    await server.vault.store.entries.insertEntries(many);
    const first = await admin.listEntries({ q: "many", limit: String(ENTRY_PAGE_MAX) });
    expect(first.entries).toHaveLength(ENTRY_PAGE_MAX);
    expect(first.nextCursor).not.toBeNull();
    expect((await admin.listAllEntries({ q: "many" })).entries.map((e) => e.name)).toEqual(many.map((e) => e.name));
  });

  it.each([
    ["a cursor the server never gave", { cursor: "bm90LWEtY3Vyc29y" }, "entry_cursor_invalid", "cursor"],
    ["a cursor with characters outside base64url", { cursor: "abc=" }, "entry_cursor_invalid", "cursor"],
    ["a cursor spelt another way", { cursor: `${cursorOf({ nameKey: "a", id: "b" })}A` }, "entry_cursor_invalid", "cursor"],
    ["a limit of 0", { limit: "0" }, "entry_limit_out_of_range", "limit"],
    ["a limit over the maximum", { limit: "1001" }, "entry_limit_out_of_range", "limit"],
  ] as const)("refuses %s with a 400", async (_name, query, key, field) => {
    await expect(admin.listEntries(query)).rejects.toMatchObject({ status: 400, key, field });
  });
});
