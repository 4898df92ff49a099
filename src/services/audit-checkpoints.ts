// When this node records a checkpoint of the audit chain outside the database: after so many
// events or seconds since the last one, and when it stops. Each checkpoint is the head this node
// itself committed, so with several nodes on one PostgreSQL every node's checkpoints are points of
// the one chain. Sinks are where checkpoints go: the data directory's file today, a SIEM stream later.
import type { Clock } from "../core/clock.js";
import type { AuditCheckpoint } from "../store/audit-checkpoint-file.js";
import type { AuditHead } from "../store/audit-events.js";

export interface AuditCheckpointSink {
  append(checkpoint: AuditCheckpoint): Promise<void>;
  close(): Promise<void>;
}

export interface AuditCheckpoints {
  /** Called with each committed head (createAuditLog's onCommitted). */
  noteHead(head: AuditHead): void;
  /** Writes the newest head if it has no checkpoint yet, stops the timer and closes the sinks. */
  close(): Promise<void>;
}

export function createAuditCheckpoints(deps: {
  sinks: readonly AuditCheckpointSink[];
  keyId: string;
  clock: Clock;
  everyEvents: number;
  everySeconds: number;
  /** A checkpoint that could not be written is reported, never thrown into the request that committed. */
  onError: (error: unknown) => void;
}): AuditCheckpoints {
  const { sinks, keyId, clock, everyEvents, everySeconds, onError } = deps;
  let newest: AuditHead | undefined;
  // Counted from the first head this node commits: events before it are other runs' business.
  let writtenSeq: number | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = (head: AuditHead): Promise<void> => {
    writtenSeq = head.seq;
    const checkpoint: AuditCheckpoint = { seq: head.seq, link: head.link, at: clock.now(), keyedFrom: head.keyedFrom, keyId };
    writing = writing.then(async () => {
      for (const sink of sinks) await sink.append(checkpoint).catch(onError);
    });
    return writing;
  };
  const writeIfNewer = (): Promise<void> => (newest !== undefined && newest.seq > (writtenSeq ?? 0) ? write(newest) : writing);

  const timer = setInterval(() => void writeIfNewer(), everySeconds * 1000);
  timer.unref();

  return {
    noteHead(head) {
      // Batches on other nodes may commit in between: only a head further on than the newest counts.
      if (newest !== undefined && head.seq <= newest.seq) return;
      newest = head;
      writtenSeq ??= head.seq - 1;
      if (head.seq - writtenSeq >= everyEvents) void write(head);
    },
    async close() {
      clearInterval(timer);
      await writeIfNewer();
      for (const sink of sinks) await sink.close().catch(onError);
    },
  };
}
