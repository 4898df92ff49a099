// Times `watchword backup` and `watchword restore` of a vault with many entries (default 10,000,
// half HOTP), on SQLite and, with DATABASE_URL, on PostgreSQL. Run after `npm run build`:
//   node bench/backup-restore.mjs [entries]        DATABASE_URL=postgres://… node bench/backup-restore.mjs
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const dist = path.resolve("dist/node");
const { openVault } = await import(`${dist}/services/vault.js`);
const { Secret } = await import(`${dist}/core/secret.js`);
const { seedBinding } = await import(`${dist}/services/entries.js`);
const { OTP_ONLY_TEMPLATE } = await import(`${dist}/store/built-in-templates.js`);
const { insertNewUser } = await import(`${dist}/services/accounts.js`);

const count = Number(process.argv[2] ?? 10_000);
const postgresUrl = process.env.DATABASE_URL;
const cli = path.join(dist, "cli/main.js");

async function fill(config, postgresSchema) {
  const vault = await openVault({ config, ...(postgresSchema ? { postgresSchema } : {}) });
  const now = Date.now();
  const owner = await insertNewUser(vault.store.users, { username: "bench", role: "admin", password: Secret.fromUtf8("correct horse battery staple") }, now);
  const entries = [];
  for (let i = 0; i < count; i += 1) {
    const id = randomUUID();
    const isHotp = i % 2 === 0;
    entries.push({
      id, name: `Entry ${i}`, folderId: null, templateId: OTP_ONLY_TEMPLATE, issuer: null, account: null, url: null, username: null, notes: null, tags: [],
      ownerId: owner.id, otpType: isHotp ? "hotp" : "totp", otpAlgorithm: "sha1", otpDigits: 6, otpPeriod: 30, hotpCounter: 0,
      seedSealed: vault.keyring.seal(Secret.fromBytes(randomBytes(20)), seedBinding(id)), seedUpdatedAt: now, createdAt: now, updatedAt: now,
    });
  }
  await vault.store.transaction(async (tx) => tx.entries.insertEntries(entries));
  await vault.close();
  // Every HOTP entry has a high-water mark ahead of its counter: the restore moves each one.
  const marks = entries.filter((e) => e.otpType === "hotp").map((e) => JSON.stringify({ entry: e.id, seed: e.seedUpdatedAt, mark: 101 }));
  fs.writeFileSync(path.join(config.dataDir, "hotp-marks.jsonl"), `${marks.join("\n")}\n`, { mode: 0o600 });
}

function timed(args, env) {
  const began = performance.now();
  execFileSync(process.execPath, [cli, ...args], { env, stdio: ["ignore", "ignore", "inherit"] });
  return Math.round(performance.now() - began);
}

async function run(kind) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `watchword-bench-backup-${kind}-`));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  let args = ["--data-dir", dataDir];
  let schema;
  if (kind === "postgres") {
    schema = `ww_bench_backup_${randomBytes(4).toString("hex")}`;
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
    args = [...args, "--database-url", `${postgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`];
  }
  await fill({ dataDir, databaseUrl: kind === "postgres" ? postgresUrl : undefined, masterKey: undefined }, schema);
  const file = path.join(dataDir, "..", `${path.basename(dataDir)}.wwb`);
  const backupMs = timed(["backup", file, ...args], env);
  const bytes = fs.statSync(file).size;
  const restoreMs = timed(["restore", file, ...args], env);
  console.log(`${kind}: ${count} entries, backup ${backupMs} ms (${(bytes / 1024 / 1024).toFixed(1)} MiB), restore ${restoreMs} ms (CLI start-up included)`);
  fs.rmSync(file, { force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (schema) {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`drop schema ${schema} cascade`);
    await client.end();
  }
}

await run("sqlite");
if (postgresUrl) await run("postgres");
