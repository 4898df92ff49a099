// Watchword at a company's size, on SQLite and on PostgreSQL: BENCH_SCALE_ENTRIES entries (default
// 100,000) in 1,000 folders, BENCH_SCALE_USERS users (10,000) in 500 groups (two each), each group
// granted two folders and 5,000 more grants of single entries to users, and BENCH_SCALE_EVENTS
// audit events (10,000,000; generated as bench/audit-query.mjs does). Measured against a real
// server on that data: "My entries" (GET /api/v1/entries) as a member with grants (~700 entries
// visible) and as an administrator (their own view, and view=all), search (?q=) for both, the
// code endpoint (against the same endpoint on an empty vault), start-up time (fork to listening),
// and migration time (every migration on an empty database). Target: list and search p95 ≤ 50 ms.
// Times are wall times of one request at a time on loopback: the server's time plus ~1 ms.
//
// The data are made the way an operator's would be, then multiplied: the API creates one user,
// group, folder, entry and grant of each kind, and each table's rows are cloned from those with new
// ids and names (so every row is one the code wrote, and every constraint holds). Cloned entries
// share the template's sealed seed, bound to another id: only the template entries give codes.
// The data are kept under BENCH_DATA_DIR (default bench/.data) and in the PostgreSQL schema
// bench_scale_<entries>_<events> at TEST_DATABASE_URL, so later runs skip the generation.
//
//   node bench/scale.mjs [sqlite|postgres]   generate if needed, measure, print the figures
//   (also run by `node bench/run.mjs scale`)

import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fillPostgresAuditEvents, fillSqliteAuditEvents } from "./audit-query.mjs";
import { startServerProcess } from "./support/server-process.mjs";
import { signInAdministrator } from "./support/administrator-sign-in.mjs";
import { percentile } from "./support/stats.mjs";
import { BENCH_DATABASE_URL, BENCH_SEED, createBenchSchema } from "./support/watchword-server.mjs";

const ENTRIES = Number(process.env.BENCH_SCALE_ENTRIES ?? 100_000);
const USERS = Number(process.env.BENCH_SCALE_USERS ?? 10_000);
const EVENTS = Number(process.env.BENCH_SCALE_EVENTS ?? 10_000_000);
const FOLDERS = 1000;
const GROUPS = 500;
const ENTRY_GRANTS = 5000;
const DATA_DIR = process.env.BENCH_DATA_DIR ?? new URL("./.data", import.meta.url).pathname;
const PASSWORD = "quiet-harbour-lantern-5521";
const WORDS = ["aws", "github", "vpn", "okta", "azure", "gitlab", "stripe", "slack", "jira", "datadog", "sentry", "cloudflare", "heroku", "npm", "docker", "google", "apple", "zoom", "notion", "figma"];
const tag = `${ENTRIES}_${EVENTS}`;
const dataDirOf = (kind) => join(DATA_DIR, `scale-${kind}-${tag}`);
const PG_SCHEMA = `bench_scale_${tag}`;
/** The administrator's sign-in: the key of the authenticator app they enrol at the first one is kept beside the data. */
const adminSignIn = (kind) => ({ username: "scaleadmin", password: PASSWORD, keyFile: join(dataDirOf(kind), "scale-admin-totp-key") });

/** A UUID-shaped id, the n-th of its kind. */
const idOf = (prefix, n) => `${prefix}-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** The vault's URL for a kind: the SQLite file in the data directory, or the kept schema. */
async function databaseUrlOf(kind) {
  if (kind === "sqlite") return undefined;
  const { withDefaultUser } = await import("../dist/node/store/postgres-connection.js");
  const url = new URL(withDefaultUser(BENCH_DATABASE_URL));
  url.searchParams.set("options", `-c search_path=${PG_SCHEMA}`);
  return url.toString();
}

async function openVaultOf(kind) {
  const { loadServerConfig } = await import("../dist/node/config.js");
  const { openVault } = await import("../dist/node/services/vault.js");
  const dataDir = dataDirOf(kind);
  const databaseUrl = await databaseUrlOf(kind);
  return openVault({ config: loadServerConfig(databaseUrl === undefined ? { dataDir } : { dataDir, databaseUrl }, {}) });
}

async function startServer(kind, dataDir = dataDirOf(kind), databaseUrl) {
  const url = databaseUrl ?? (await databaseUrlOf(kind));
  const started = performance.now();
  const server = await startServerProcess(new URL("./servers/watchword.mjs", import.meta.url), {
    env: { BENCH_DATA_DIR: dataDir, BENCH_LOG_LEVEL: "warn", ...(url === undefined ? {} : { BENCH_DATABASE_URL: url }) },
  });
  return { ...server, startMs: performance.now() - started };
}

/** Raw access for the cloning: better-sqlite3 or a pg client on the schema; `run(table, rows)` inserts. */
async function rawDatabase(kind) {
  if (kind === "sqlite") {
    const { loadSqlite } = await import("../dist/node/store/sqlite-module.js");
    const Database = loadSqlite();
    const db = new Database(join(dataDirOf(kind), "watchword.db"));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144");
    return {
      kind,
      handle: db,
      select: async (sql, params = []) => db.prepare(sql.replace(/\$\d+/g, "?")).all(...params),
      exec: async (sql) => db.exec(sql),
      async insert(table, rows) {
        if (rows.length === 0) return;
        const columns = Object.keys(rows[0]);
        const statement = db.prepare(`insert into ${table} (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`);
        db.transaction(() => {
          for (const row of rows) statement.run(...columns.map((c) => row[c]));
        })();
      },
      close: async () => db.close(),
    };
  }
  const { default: pg } = await import("pg");
  const { withDefaultUser } = await import("../dist/node/store/postgres-connection.js");
  const client = new pg.Client({ connectionString: withDefaultUser(BENCH_DATABASE_URL) });
  await client.connect();
  await client.query(`set search_path to ${PG_SCHEMA}`);
  return {
    kind,
    handle: client,
    select: async (sql, params = []) => (await client.query(sql, params)).rows,
    exec: async (sql) => void (await client.query(sql)),
    async insert(table, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]);
      const perBatch = Math.floor(60_000 / columns.length);
      for (let at = 0; at < rows.length; at += perBatch) {
        const batch = rows.slice(at, at + perBatch);
        const values = [];
        const tuples = batch.map((row) => `(${columns.map((c) => (values.push(row[c]), `$${values.length}`)).join(", ")})`);
        await client.query(`insert into ${table} (${columns.map((c) => `"${c}"`).join(", ")}) values ${tuples.join(", ")}`, values);
      }
    },
    close: () => client.end(),
  };
}

/** A copy of a row with every occurrence of each `from` string in its text columns replaced by its `to`. */
function cloneRow(row, replacements) {
  const copy = {};
  for (const [column, value] of Object.entries(row)) {
    if (typeof value !== "string") {
      copy[column] = value;
      continue;
    }
    let text = value;
    for (const [from, to] of replacements) if (text.includes(from)) text = text.split(from).join(to);
    copy[column] = text;
  }
  return copy;
}

/** Creates one of each row through the real API and returns their ids: what the clones are made from. */
async function createTemplates(kind) {
  const { insertNewUser } = await import("../dist/node/services/accounts.js");
  const { Secret } = await import("../dist/node/core/secret.js");
  const { createClient } = await import("../dist/node/client/client.js");
  const migrateStarted = performance.now();
  const vault = await openVaultOf(kind);
  const migrateMs = performance.now() - migrateStarted;
  const admin = await insertNewUser(vault.store.users, { username: "scaleadmin", role: "admin", password: Secret.fromUtf8(PASSWORD) }, Date.now());
  const member = await insertNewUser(vault.store.users, { username: "scalemember", role: "member", password: Secret.fromUtf8(PASSWORD) }, Date.now());
  await vault.close();
  const server = await startServer(kind);
  try {
    const origin = server.origin;
    // Another user exists: the administrator enrols an authenticator app at this first sign-in.
    const client = createClient({ baseUrl: origin, token: await signInAdministrator(createClient, origin, adminSignIn(kind)) });
    const group = await client.createGroup("scalegroup");
    await client.addGroupMember(group.id, member.id);
    const folder = await client.createFolder({ name: "scalefolder" });
    const { entry } = await client.createEntry({ name: "scaleentry", folderId: folder.id, seed: { secret: BENCH_SEED }, tags: ["scaletag"] });
    const { entry: loose } = await client.createEntry({ name: "scaleloose", seed: { secret: BENCH_SEED } });
    const folderGrant = await client.createGrant({ principal: { kind: "group", id: group.id }, scope: { kind: "folder", id: folder.id }, permission: "use" });
    const entryGrant = await client.createGrant({ principal: { kind: "user", id: member.id }, scope: { kind: "entry", id: loose.id }, permission: "use" });
    return { migrateMs, adminId: admin.id, memberId: member.id, groupId: group.id, folderId: folder.id, entryId: entry.id, looseId: loose.id, folderGrantId: folderGrant.id, entryGrantId: entryGrant.id };
  } finally {
    await server.stop();
  }
}

async function generate(kind) {
  const started = performance.now();
  const say = (text) => process.stderr.write(`scale ${kind}: ${text} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  say(`generating ${ENTRIES} entries, ${USERS} users, ${EVENTS} audit events (once; kept for later runs)`);
  rmSync(dataDirOf(kind), { recursive: true, force: true });
  mkdirSync(dataDirOf(kind), { recursive: true });
  if (kind === "postgres") {
    const { default: pg } = await import("pg");
    const { withDefaultUser } = await import("../dist/node/store/postgres-connection.js");
    const client = new pg.Client({ connectionString: withDefaultUser(BENCH_DATABASE_URL) });
    await client.connect();
    await client.query(`drop schema if exists ${PG_SCHEMA} cascade`);
    await client.query(`create schema ${PG_SCHEMA}`);
    await client.end();
  }
  const t = await createTemplates(kind);
  say("templates created through the API");
  const db = await rawDatabase(kind);
  try {
    const one = async (table, id) => (await db.select(`select * from ${table} where id = $1`, [id]))[0];
    const userRow = await one("users", t.memberId);
    const users = Array.from({ length: USERS - 2 }, (_, i) => cloneRow(userRow, [[t.memberId, idOf("33333333", i)], ["scalemember", `user${String(i).padStart(5, "0")}`]]));
    await db.insert("users", users);
    const groupRow = await one("groups", t.groupId);
    await db.insert("groups", Array.from({ length: GROUPS - 1 }, (_, g) => cloneRow(groupRow, [[t.groupId, idOf("44444444", g)], ["scalegroup", `group${String(g).padStart(4, "0")}`]])));
    const [memberRow] = await db.select("select * from group_members where group_id = $1", [t.groupId]);
    const memberships = [];
    for (let i = 0; i < USERS - 2; i += 1) {
      for (const g of new Set([i % (GROUPS - 1), (i * 7 + 3) % (GROUPS - 1)])) memberships.push(cloneRow(memberRow, [[t.groupId, idOf("44444444", g)], [t.memberId, idOf("33333333", i)]]));
    }
    // The member signing in is in three more groups: about 700 entries to see.
    for (const g of [1, 2, 3]) memberships.push(cloneRow(memberRow, [[t.groupId, idOf("44444444", g)]]));
    await db.insert("group_members", memberships);
    say("users and groups");
    const folderRow = await one("folders", t.folderId);
    await db.insert("folders", Array.from({ length: FOLDERS - 1 }, (_, f) => cloneRow(folderRow, [[t.folderId, idOf("55555555", f)], ["scalefolder", `folder${String(f).padStart(4, "0")}`]])));
    const entryRow = await one("entries", t.entryId);
    const folderOf = (i) => (i % FOLDERS === 0 ? t.folderId : idOf("55555555", (i % FOLDERS) - 1));
    const entries = [];
    for (let i = 1; i < ENTRIES - 1; i += 1) {
      const name = `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${i}`;
      entries.push(cloneRow(entryRow, [[t.entryId, idOf("66666666", i)], [t.folderId, folderOf(i)], [t.adminId, idOf("33333333", i % (USERS - 2))], ["scaleentry", name], ["scaletag", WORDS[(i * 3) % WORDS.length]]]));
      if (entries.length === 10_000) await db.insert("entries", entries.splice(0));
    }
    await db.insert("entries", entries);
    say("entries");
    const folderGrantRow = await one("grants", t.folderGrantId);
    const grants = [];
    for (let g = 0; g < GROUPS - 1; g += 1) {
      for (const k of [0, 1]) grants.push(cloneRow(folderGrantRow, [[t.folderGrantId, idOf("77777777", g * 2 + k)], [t.groupId, idOf("44444444", g)], [t.folderId, idOf("55555555", (g * 2 + k) % (FOLDERS - 1))]]));
    }
    const entryGrantRow = await one("grants", t.entryGrantId);
    for (let n = 0; n < ENTRY_GRANTS; n += 1) grants.push(cloneRow(entryGrantRow, [[t.entryGrantId, idOf("88888888", n)], [t.memberId, idOf("33333333", (n * 13) % (USERS - 2))], [t.looseId, idOf("66666666", 1 + ((n * 17) % (ENTRIES - 2)))]]));
    await db.insert("grants", grants);
    say("grants");
    // The log the API wrote for the templates makes way for the generated one (dummy links: this measures queries).
    await db.exec("delete from audit_events");
    await db.exec("update audit_head set seq = 0 where id = 1");
    rmSync(join(dataDirOf(kind), "audit-checkpoints.jsonl"), { force: true });
    if (kind === "sqlite") {
      fillSqliteAuditEvents(db.handle, EVENTS);
      db.handle.exec("analyze");
    } else {
      await fillPostgresAuditEvents(db.handle, PG_SCHEMA, EVENTS);
      await db.handle.query(`set search_path to ${PG_SCHEMA}`);
      await db.handle.query("vacuum analyze");
    }
    say("audit events");
  } finally {
    await db.close();
  }
  writeFileSync(join(dataDirOf(kind), "scale-templates.json"), JSON.stringify(t));
  return t;
}

/** p50 and p95 of `count` calls of `call`, in ms. */
async function timed(count, call) {
  const times = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await call(i);
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** A cursor as the server writes it (services/entry-listing.ts): the position just before names starting with `word`. */
const cursorAt = (word) => Buffer.from(JSON.stringify([word, ""]), "utf8").toString("base64url");

async function getJson(url, token) {
  const reply = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await reply.json();
  if (reply.status !== 200) throw new Error(`${url} answered ${reply.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Measures one kind; generates its data first when they are not kept yet. */
export async function measureScale(kind) {
  const file = join(dataDirOf(kind), "scale-templates.json");
  const t = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : await generate(kind);
  const { createClient } = await import("../dist/node/client/client.js");
  const figures = { "migrate empty (ms)": t.migrateMs };
  const server = await startServer(kind);
  figures["start-up on the data (ms)"] = server.startMs;
  try {
    const member = (await createClient({ baseUrl: server.origin }).signIn({ username: "scalemember", password: PASSWORD, client: "cli" })).token;
    const admin = await signInAdministrator(createClient, server.origin, adminSignIn(kind));
    const base = `${server.origin}/api/v1/entries`;
    // The list comes in pages (limit, nextCursor): what someone sees is every page, end to end.
    const everyPage = async (url, token) => {
      let count = 0;
      let cursor = null;
      do {
        const page = await getJson(`${url}${url.includes("?") ? "&" : "?"}limit=1000${cursor === null ? "" : `&cursor=${cursor}`}`, token);
        count += page.entries.length;
        cursor = page.nextCursor;
      } while (cursor !== null);
      return count;
    };
    figures["member sees (entries)"] = await everyPage(base, member);
    const rounds = 40;
    const record = (name, result) => Object.assign(figures, { [`${name} p50 (ms)`]: result.p50, [`${name} p95 (ms)`]: result.p95 });
    record("member list", await timed(rounds, () => getJson(base, member)));
    record("member search", await timed(rounds, (i) => getJson(`${base}?q=${WORDS[i % WORDS.length]}`, member)));
    record("member search narrow", await timed(rounds, (i) => getJson(`${base}?q=${encodeURIComponent(`${WORDS[i % WORDS.length]} ${i}`)}`, member)));
    record("admin list (own view)", await timed(rounds, () => getJson(base, admin)));
    record("admin search all", await timed(rounds, (i) => getJson(`${base}?view=all&q=${encodeURIComponent(`${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${100 + i * 997}`)}`, admin)));
    record("admin search all broad", await timed(10, (i) => getJson(`${base}?view=all&q=${WORDS[i % WORDS.length]}`, admin)));
    // The web app asks for the default page (the "member list" above) and the next on "Show more"; `watchword list` asks for the largest.
    record("member list in one page, as `watchword list` asks (limit 1000)", await timed(rounds, () => getJson(`${base}?limit=1000`, member)));
    record("admin list all (first page)", await timed(rounds, () => getJson(`${base}?view=all`, admin)));
    record("admin list all, a page deep in (cursor)", await timed(rounds, (i) => getJson(`${base}?view=all&cursor=${cursorAt(WORDS[i % WORDS.length])}`, admin)));
    figures["admin sees all (entries)"] = await everyPage(`${base}?view=all`, admin);
    record("member code (granted entry)", await timed(rounds, () => getJson(`${base}/${t.entryId}/code`, member)));
  } finally {
    await server.stop();
  }
  // The same code endpoint on an empty vault of the same kind: "unchanged" is this ratio.
  const { loadServerConfig } = await import("../dist/node/config.js");
  const { openVault } = await import("../dist/node/services/vault.js");
  const { insertNewUser } = await import("../dist/node/services/accounts.js");
  const { Secret } = await import("../dist/node/core/secret.js");
  const emptyDir = join(DATA_DIR, `scale-empty-${kind}-${process.pid}`);
  mkdirSync(emptyDir, { recursive: true });
  const schema = kind === "postgres" ? await createBenchSchema("bench_scale_empty") : undefined;
  try {
    const vault = await openVault({ config: loadServerConfig(schema === undefined ? { dataDir: emptyDir } : { dataDir: emptyDir, databaseUrl: schema.url }, {}) });
    await insertNewUser(vault.store.users, { username: "scaleadmin", role: "admin", password: Secret.fromUtf8(PASSWORD) }, Date.now());
    await vault.close();
    const empty = await startServer(kind, emptyDir, schema?.url);
    figures["start-up empty (ms)"] = empty.startMs;
    try {
      const token = (await createClient({ baseUrl: empty.origin }).signIn({ username: "scaleadmin", password: PASSWORD, client: "cli" })).token;
      const { entry } = await createClient({ baseUrl: empty.origin, token }).createEntry({ name: "Bench", seed: { secret: BENCH_SEED } });
      const result = await timed(40, () => getJson(`${empty.origin}/api/v1/entries/${entry.id}/code`, token));
      figures["empty vault code p50 (ms)"] = result.p50;
      figures["empty vault code p95 (ms)"] = result.p95;
    } finally {
      await empty.stop();
    }
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
    await schema?.drop();
  }
  return figures;
}

/** For bench/run.mjs: one round each (the generation is minutes; the figures are p50/p95 over many requests). */
const benchFor = (kind) => ({
  name: `scale.${kind}`,
  title: `${ENTRIES.toLocaleString("en-US")} entries, ${USERS.toLocaleString("en-US")} users, ${EVENTS.toLocaleString("en-US")} audit events on ${kind}: p95 of "My entries" as a member (target ≤ 50 ms)`,
  unit: "ms",
  extras: { "member search p95": "ms", "admin list p95": "ms", "admin search all p95": "ms", "code p95": "ms", "empty code p95": "ms", "start-up": "ms", "migrate empty": "ms" },
  rounds: 1,
  warmup: 0,
  async run() {
    const f = await measureScale(kind);
    return {
      value: f["member list p95 (ms)"],
      "member search p95": f["member search p95 (ms)"],
      "admin list p95": f["admin list (own view) p95 (ms)"],
      "admin search all p95": f["admin search all p95 (ms)"],
      "code p95": f["member code (granted entry) p95 (ms)"],
      "empty code p95": f["empty vault code p95 (ms)"],
      "start-up": f["start-up on the data (ms)"],
      "migrate empty": f["migrate empty (ms)"],
    };
  },
});

export default [benchFor("sqlite"), benchFor("postgres")];

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const kind of process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["sqlite", "postgres"]) {
    const figures = await measureScale(kind);
    process.stdout.write(`\nscale ${kind} (${ENTRIES} entries, ${USERS} users, ${EVENTS} events):\n${Object.entries(figures).map(([k, v]) => `  ${k}: ${typeof v === "number" ? v.toFixed(1) : v}`).join("\n")}\n`);
  }
}
