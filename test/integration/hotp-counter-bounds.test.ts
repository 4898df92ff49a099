// HOTP counters at the edge of what a counter can be (2^53 − 1, the largest whole number a
// JavaScript number holds exactly), on both databases: refused above it where a counter comes in,
// never advanced past it, an exhausted counter a clear 409, and an audit event for every code
// handed out and for no other. Codes are checked against oathtool, which counts in 64 bits.
import { describe, expect, it } from "vitest";
import { MAX_HOTP_COUNTER } from "../../src/core/otp/types.js";
import { rejection } from "../support/api-rejection.js";
import { databaseKinds } from "../support/databases.js";
import { hasOathtool, runOathtool } from "../support/oathtool.js";
import { useSignedInAdmin } from "../support/signed-in-admin.js";

const SEED_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const oathtoolHotp = (counter: number, window = 0): string[] => runOathtool("--hotp", "-b", "-c", String(counter), "-w", String(window), SEED_B32).split("\n");
const hotpLink = (counter: number | string) => `otpauth://hotp/Edge:ops?secret=${SEED_B32}&issuer=Edge&counter=${counter}`;

describe.each(databaseKinds)("HOTP counter bounds on %s", (kind) => {
  const app = useSignedInAdmin(kind);


  const codeEvents = async (entryId: string) => (await app.server.vault.store.auditEvents.listAuditEvents({ entryId, limit: 1000 })).filter((e) => e.action === "code.issued");

  it("is 2^53 − 1, the largest counter a code is made for", () => {
    expect(MAX_HOTP_COUNTER).toBe(2 ** 53 - 1);
  });

  it.skipIf(!hasOathtool)("hands out the last code of a counter one below the bound, then says the counter is used up", async () => {
    const { entry } = await app.admin.createEntry({ name: "Nearly spent", seed: { secret: SEED_B32, type: "hotp", counter: MAX_HOTP_COUNTER - 1 } });
    const codes = [await app.admin.takeCode(entry.id), await app.admin.takeCode(entry.id)];
    expect(codes.map((c) => c.code)).toEqual(oathtoolHotp(MAX_HOTP_COUNTER - 1, 1));
    const spent = await rejection(app.admin.takeCode(entry.id));
    expect([spent.status, spent.code]).toEqual([409, "conflict"]);
    expect(spent.message).toMatch(/counter .*used up/i);
    expect((await rejection(app.admin.takeCode(entry.id))).status).toBe(409);
    // Two codes handed out, two audit events, and the counter stops at the bound.
    const events = await codeEvents(entry.id);
    expect(events.map((e) => (JSON.parse(e.details) as { counter: number }).counter)).toEqual([MAX_HOTP_COUNTER - 1, MAX_HOTP_COUNTER]);
    expect((await app.server.vault.store.entries.findEntry(entry.id))!.hotpCounter).toBe(MAX_HOTP_COUNTER + 1);
  });

  it.skipIf(!hasOathtool)("gives concurrent requests at the bound each a different code, and the rest a 409 and no event", async () => {
    const { entry } = await app.admin.createEntry({ name: "Race to the end", seed: { uri: hotpLink(MAX_HOTP_COUNTER - 2) } });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => app.admin.takeCode(entry.id)));
    const handedOut = results.filter((r) => r.status === "fulfilled").map((r) => r.value.code);
    expect([...handedOut].sort()).toEqual(oathtoolHotp(MAX_HOTP_COUNTER - 2, 2).sort());
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused.map((r) => (r.reason as { status: number }).status)).toEqual([409, 409, 409, 409, 409]);
    expect(await codeEvents(entry.id)).toHaveLength(3);
  });

  it("refuses a counter above the bound where it comes in, naming the field and storing nothing", async () => {
    const before = (await app.admin.listEntries()).entries.length;
    const typed = await rejection(app.admin.createEntry({ name: "Too far", seed: { secret: SEED_B32, type: "hotp", counter: 2 ** 53 } }));
    expect([typed.status, typed.field]).toEqual([400, "seed.counter"]);
    const linked = await rejection(app.admin.createEntry({ name: "Too far", seed: { uri: hotpLink("9007199254740992") } }));
    expect([linked.status, linked.field]).toEqual([400, "counter"]);
    const huge = await rejection(app.admin.createEntry({ name: "Too far", seed: { uri: hotpLink("18446744073709551615") } }));
    expect([huge.status, huge.field]).toEqual([400, "counter"]);
    const { entry } = await app.admin.createEntry({ name: "Overwritten", seed: { uri: hotpLink(0) } });
    const overwrite = await rejection(app.admin.overwriteSeed(entry.id, { uri: hotpLink(2 ** 53) }));
    expect([overwrite.status, overwrite.field]).toEqual([400, "counter"]);
    expect((await app.server.vault.store.entries.findEntry(entry.id))!.hotpCounter).toBe(0);
    expect((await app.admin.listEntries()).entries.length).toBe(before + 1);
  });

  it("refuses an import whose only HOTP entry counts past the bound, storing nothing", async () => {
    const data = Buffer.from(`${hotpLink("9007199254740992")}\n`).toString("base64");
    const refused = await rejection(app.admin.createImport({ data }));
    expect(refused.status).toBe(400);
    expect(refused.key).toBe("import_nothing_importable");
    expect(refused.rows.map((row) => row.message).join(" ")).toMatch(/counter/);
    const mixed = await app.admin.createImport({ data: Buffer.from(`${hotpLink("9007199254740992")}\n${hotpLink(MAX_HOTP_COUNTER)}\n`).toString("base64") });
    expect(mixed.entries.map((e) => e.index)).toEqual([1]);
    expect(mixed.problems.map((p) => p.message).join(" ")).toMatch(/counter/);
    await app.admin.discardImport(mixed.importId);
  });

  it.skipIf(!hasOathtool)("overwrites a seed with a counter at the bound: one code, then 409", async () => {
    const { entry } = await app.admin.createEntry({ name: "Reset to the end", seed: { uri: hotpLink(0) } });
    await app.admin.overwriteSeed(entry.id, { uri: hotpLink(MAX_HOTP_COUNTER) });
    expect((await app.admin.takeCode(entry.id)).code).toBe(oathtoolHotp(MAX_HOTP_COUNTER)[0]);
    expect((await rejection(app.admin.takeCode(entry.id))).status).toBe(409);
  });
});
