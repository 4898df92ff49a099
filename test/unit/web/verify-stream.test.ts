import { describe, expect, it } from "vitest";
import { ApiError } from "../../../src/client/client.js";
import { problemError, readVerificationLines, type VerifyProgress } from "../../../web/src/audit/verify-stream.js";

const VERDICT = {
  intact: false,
  eventsChecked: 40,
  keyedFrom: 1,
  headSeq: 40,
  checkpointsChecked: 4,
  brokenAt: 12,
  finding: { key: "audit_chain_event_changed", params: { seq: 12 } },
  message: "Event 12 does not match its link: it was modified, forged, or moved from elsewhere in the chain.",
};

async function* chunksOf(...chunks: string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

async function read(...chunks: string[]) {
  const progress: VerifyProgress[] = [];
  const verdict = await readVerificationLines(chunksOf(...chunks), (p) => progress.push(p));
  return { progress, verdict };
}

describe("reading the streamed verification", () => {
  it("tells each progress line, then returns the verdict, however the lines are cut into chunks", async () => {
    const text = `${JSON.stringify({ checked: 0, total: 40 })}\n${JSON.stringify({ checked: 20, total: 40 })}\n${JSON.stringify({ checked: 40, total: 40 })}\n${JSON.stringify(VERDICT)}\n`;
    for (const size of [1, 7, 33, text.length]) {
      const chunks: string[] = [];
      for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
      const { progress, verdict } = await read(...chunks);
      expect(progress, `chunks of ${size}`).toEqual([{ checked: 0, total: 40 }, { checked: 20, total: 40 }, { checked: 40, total: 40 }]);
      expect(verdict).toEqual(VERDICT);
    }
  });

  it("takes a verdict without a last newline, and blank lines in between", async () => {
    expect((await read(`\n${JSON.stringify({ checked: 0, total: 1 })}\n\n`, JSON.stringify({ ...VERDICT, intact: true, brokenAt: null }))).verdict.intact).toBe(true);
  });

  it("throws the problem a stream ends with, translatable by its key", async () => {
    const problem = { status: 503, code: "unavailable", key: "database_unavailable", params: {}, detail: "The database is not answering." };
    const failure = await read(`${JSON.stringify({ checked: 0, total: 40 })}\n${JSON.stringify(problem)}\n`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect([(failure as ApiError).status, (failure as ApiError).code, (failure as ApiError).message]).toEqual([503, "unavailable", "The database is not answering."]);
  });

  it("throws when the stream stops without a verdict, or says something that is not a line of it", async () => {
    for (const chunks of [[], [`${JSON.stringify({ checked: 0, total: 40 })}\n`], ["not json\n"], ["[1,2]\n"], ['{"checked":1,"total":2'], ["null\n"]]) {
      const failure = await read(...chunks).catch((error: unknown) => error);
      expect(failure, JSON.stringify(chunks)).toBeInstanceOf(ApiError);
      expect((failure as ApiError).key).toBe("server_answered");
    }
  });

  it("ignores a progress line of the wrong shape rather than showing nonsense", async () => {
    const { progress } = await read('{"checked":"a","total":2}\n{"checked":1.5,"total":2}\n', JSON.stringify(VERDICT));
    expect(progress).toEqual([]);
  });

  it("keeps a problem's key only when the catalogue knows it", () => {
    expect(problemError(403, { code: "forbidden", key: "audit_read_forbidden", params: {}, detail: "Only administrators and auditors may read or verify the audit log." } as never).key).toBe("audit_read_forbidden");
    expect(problemError(400, { code: "invalid_input", key: "made_up_key", detail: "Something." } as never).key).toBeUndefined();
  });
});
