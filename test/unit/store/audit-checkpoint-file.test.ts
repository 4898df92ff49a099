// The checkpoint file's reader against hostile files: truncated, garbage, endless and malformed
// lines, seqs out of order or twice, non-hex links, a missing file, a directory in its place. Each
// is a catalogued problem naming the file and line (never the line's text), or an accepted file.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWatchwordError } from "../../../src/core/errors.js";
import { renderProblem } from "../../../src/core/problems/catalogue.js";
import { readAuditCheckpoints } from "../../../src/store/audit-checkpoint-file.js";

const LINK = "ab".repeat(32);
const KEY_ID = "fa858df843b3dc4e";
const SECRET = "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA";
const line = (fields: Record<string, unknown> = {}) => JSON.stringify({ seq: 10, link: LINK, at: 1796135400123, keyedFrom: 1, keyId: KEY_ID, ...fields });

describe("reading the audit checkpoint file", () => {
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-checkpoints-"));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  const write = async (content: string | Buffer) => {
    const file = path.join(dir, `checkpoints-${(n += 1)}.jsonl`);
    await fs.writeFile(file, content);
    return file;
  };
  /** The problem the reader refuses the file with: key, params and sentence. */
  const refusal = async (file: string) => {
    const error: unknown = await readAuditCheckpoints(file).then(() => undefined, (e: unknown) => e);
    if (!isWatchwordError(error) || error.problemText === undefined) throw new Error(`not refused with a problem: ${String(error)}`);
    expect(error.code).toBe("invalid_input");
    return { ...error.problemText, message: renderProblem(error.problemText) };
  };

  it("reads a good file, sorting seqs out of order, keeping a seq given twice, skipping blank lines and CRs", async () => {
    const file = await write(`${line({ seq: 30 })}\r\n\n${line({ seq: 10 })}\n   \n${line({ seq: 20 })}\n${line({ seq: 20, link: "cd".repeat(32) })}\n`);
    const checkpoints = await readAuditCheckpoints(file);
    expect(checkpoints.map((c) => [c.seq, c.link.slice(0, 2)])).toEqual([[10, "ab"], [20, "ab"], [20, "cd"], [30, "ab"]]);
  });

  it("holds no checkpoint when the file is missing", async () => {
    expect(await readAuditCheckpoints(path.join(dir, "nothing-here.jsonl"))).toEqual([]);
  });

  it("refuses a directory in the file's place as unreadable", async () => {
    const directory = path.join(dir, "a-directory.jsonl");
    await fs.mkdir(directory);
    expect(await refusal(directory)).toMatchObject({ key: "audit_checkpoint_file_unreadable", params: { file: directory, reason: "EISDIR" } });
  });

  it("refuses a last line cut short (a write interrupted) by its number", async () => {
    const file = await write(`${line({ seq: 1 })}\n${line({ seq: 2 })}\n${line({ seq: 3 }).slice(0, 40)}`);
    expect(await refusal(file)).toMatchObject({ key: "audit_checkpoint_line_invalid", params: { file, line: 3 } });
  });

  it("refuses garbage, binary bytes and JSON that is not a checkpoint, never repeating the line", async () => {
    const cases: [string | Buffer, number][] = [
      [`${line()}\nnot json ${SECRET}\n`, 2],
      [Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a]), 1],
      ["[1,2,3]\n", 1],
      ["null\n", 1],
      [`"${SECRET}"\n`, 1],
      [`${line({ extra: SECRET, seq: "10" })}\n`, 1],
    ];
    for (const [content, lineNumber] of cases) {
      const found = await refusal(await write(content));
      expect(found, String(content).slice(0, 30)).toMatchObject({ key: "audit_checkpoint_line_invalid", params: { line: lineNumber } });
      expect(found.message).not.toContain(SECRET);
    }
  });

  it("refuses links and fields of the wrong form", async () => {
    const bad: Record<string, unknown>[] = [
      { link: LINK.toUpperCase() },
      { link: `${LINK.slice(0, 63)}g` },
      { link: LINK.slice(0, 63) },
      { link: `${LINK}00` },
      { link: 12 },
      { seq: 0 },
      { seq: -1 },
      { seq: 1.5 },
      { seq: 2 ** 53 },
      { at: -5 },
      { keyedFrom: 0 },
      { keyId: "FA858DF843B3DC4E" },
      { keyId: `${KEY_ID}0` },
      { seq: undefined },
    ];
    for (const fields of bad) expect(await refusal(await write(`${line(fields)}\n`)), JSON.stringify(fields)).toMatchObject({ key: "audit_checkpoint_line_invalid", params: { line: 1 } });
  });

  it("refuses an endless line as soon as it is too long, without reading it all", async () => {
    const file = path.join(dir, "endless.jsonl");
    const handle = await fs.open(file, "w");
    await handle.write(`${line({ seq: 1 })}\n`);
    const block = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 64; i++) await handle.write(block);
    await handle.close();
    const before = process.memoryUsage().rss;
    const started = performance.now();
    expect(await refusal(file)).toMatchObject({ key: "audit_checkpoint_line_invalid", params: { line: 2 } });
    // 64 MiB on one line: refused after the first chunk, not after reading it all into one string.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(32 * 1024 * 1024);
    // A long line that does end is refused by its number too.
    const long = await write(`${line({ seq: 1 })}\n${line({ seq: 2, pad: "x".repeat(5000) })}\n${line({ seq: 3 })}\n`);
    expect(await refusal(long)).toMatchObject({ key: "audit_checkpoint_line_invalid", params: { line: 2 } });
  });
});
