// Keeps each HOTP entry's high-water mark (store/hotp-mark-file.ts) ahead of the counters this
// process hands out. A mark is written `margin` counters ahead, so a file write happens once per
// `margin` codes of an entry, never per request; a code waits only for the write that covers it.
import { markKey, readHotpMarks, type HotpMarkWriter } from "../store/hotp-mark-file.js";

export const HOTP_MARK_MARGIN = 100;

export interface HotpMarks {
  /** Resolves once a durable mark lies above `counter` (the counter just taken for a code). */
  cover(entryId: string, seedUpdatedAt: number | null, counter: number): Promise<void>;
  close(): Promise<void>;
}

export function createHotpMarks(deps: { file: string; writer: HotpMarkWriter; margin?: number }): HotpMarks {
  const margin = deps.margin ?? HOTP_MARK_MARGIN;
  // What this process knows is covered, and the write that covers it (awaited by every code under it).
  const known = new Map<string, { mark: number; written: Promise<void> }>();
  let loaded: Promise<void> | undefined;
  const load = () =>
    (loaded ??= readHotpMarks(deps.file).then(
      (marks) => {
        for (const [key, mark] of marks) known.set(key, { mark: mark.mark, written: Promise.resolve() });
      },
      // An unreadable file is no reason to refuse codes: the marks written from now on cover them.
      () => undefined,
    ));
  return {
    async cover(entryId, seedUpdatedAt, counter) {
      await load();
      const key = markKey(entryId, seedUpdatedAt);
      const current = known.get(key);
      // The counter stored after this code is counter + 1: the mark must be at least that.
      if (current !== undefined && current.mark > counter) return current.written;
      const mark = counter + 1 + margin;
      const written = deps.writer.append({ entryId, seedUpdatedAt, mark });
      known.set(key, { mark, written });
      written.catch(() => {
        // A failed write covers nothing: the next code tries again.
        if (known.get(key)?.written === written) known.delete(key);
      });
      return written;
    },
    close: () => deps.writer.close(),
  };
}
