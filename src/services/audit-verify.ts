// Verifies the whole audit chain, page by page (never the whole log in memory), against the
// checkpoints kept outside the database, and names the first event at fault: modified, deleted,
// inserted, reordered, rewritten without the key, or cut off. `watchword audit verify` and
// POST /api/v1/audit/verify both ask here.
import { findBrokenLink, GENESIS_HASH, judgeEvent, legacyLink, LINK_LENGTH, type ChainPage, type ChainPoint, type LinkFunction, type LinkJudgement } from "../core/audit-chain.js";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { LinkWorkers } from "../crypto/audit-key.js";
import { invalidInput, problem, type ProblemText } from "../core/errors.js";
import { renderProblem } from "../core/problems/catalogue.js";
import { readAuditCheckpoints, type AuditCheckpoint } from "../store/audit-checkpoint-file.js";
import type { AuditEventStore } from "../store/audit-events.js";
import type { AuditActor, AuditLog } from "./audit-log.js";

export interface AuditVerification {
  readonly isIntact: boolean;
  /** Events whose links were checked. */
  readonly eventsChecked: number;
  /** The first seq with a keyed link; events before it carry plain SHA-256 links (written before 0007). */
  readonly keyedFrom: number;
  readonly headSeq: number;
  readonly checkpointsChecked: number;
  /** The first event at fault (0 when the fault names none, e.g. checkpoints of another vault). */
  readonly brokenAt: number | null;
  /** What was found, as a catalogue problem: audit_chain_intact or the break. */
  readonly finding: ProblemText;
  readonly message: string;
}

export interface VerifyOptions {
  readonly checkpoints: readonly AuditCheckpoint[];
  /** Names the checkpoints' file in sentences. */
  readonly checkpointFile: string;
  /** Told how far verification has got, after each page. */
  readonly onProgress?: (checked: number, total: number) => void;
  /**
   * Worker threads to check keyed links in (crypto/audit-link-worker.ts); default 0, this thread.
   * Each page's bytes are split at line ends and transferred to the workers while the next page is
   * read. On the 2-core bench machine (shared with other jobs) 2 workers gave 149,000–387,000
   * events/s against 132,000–300,000 in one thread over 4 interleaved pairs: not yet a clear win,
   * so off by default. Profile (node --cpu-prof): ~2/3 HMAC, most of it createHmac's per-call set-up
   * rather than hashing; ~1/3 the SQLite page query (json_array and group_concat); ~10 % GC.
   */
  readonly workers?: number;
  /** Stops verifying (the promise rejects with the signal's reason) between pages, e.g. when the asker has gone. */
  readonly signal?: AbortSignal;
  readonly pageSize?: number;
}

const PAGE_SIZE = 8192;
/** Chains at least this long are checked across worker threads (crypto/audit-link-worker.ts). */
const PARALLEL_FROM = 50_000;

const JUDGED: Readonly<Record<Exclude<LinkJudgement, "intact">, "audit_chain_event_unlinked" | "audit_chain_event_unkeyed" | "audit_chain_event_changed">> = {
  unlinked: "audit_chain_event_unlinked",
  unkeyed: "audit_chain_event_unkeyed",
  changed: "audit_chain_event_changed",
};

/** A break found: the seq it names and the sentence. */
class ChainBreak {
  constructor(
    readonly seq: number,
    readonly finding: ProblemText,
  ) {}
}

type ChainReader = Pick<AuditEventStore, "readAuditChainState" | "readAuditChainPage" | "nextAuditSeq" | "listAuditEvents" | "lastAuditEventOf" | "listAuditEventsOf">;

/** The action of the event `watchword restore` writes (services/backup.ts), and what verification reads from its details. */
export const AUDIT_RESTORED_ACTION = "audit.restored";

/**
 * The checkpoints that still speak for the chain in the database. A restore puts back an older
 * chain on purpose, and its `audit.restored` event (keyed, so no one without the audit key can
 * forge it, and verified below with every other event) names the backup's head: checkpoints
 * written before that event of events past that head belong to the history the restore replaced
 * (every node's file holds some), and are set aside rather than reported as a cut-off. Anything
 * else, including a rollback to before the restore event, is judged as before.
 */
async function checkpointsAfterRestores(auditEvents: ChainReader, checkpoints: readonly AuditCheckpoint[]): Promise<readonly AuditCheckpoint[]> {
  const restores: { readonly at: number; readonly fromSeq: number }[] = [];
  for (const event of await auditEvents.listAuditEventsOf(AUDIT_RESTORED_ACTION)) {
    try {
      const details = JSON.parse(event.details) as { backupHeadSeq?: unknown };
      if (typeof details.backupHeadSeq === "number" && details.backupHeadSeq < event.seq) restores.push({ at: event.at, fromSeq: details.backupHeadSeq });
    } catch {
      // Not a restore's details: it sets nothing aside.
    }
  }
  if (restores.length === 0) return checkpoints;
  return checkpoints.filter((c) => !restores.some((r) => c.at < r.at && c.seq > r.fromSeq));
}

type VerifyingKey = { readonly keyId: string; readonly link: LinkFunction; startLinkWorkers?(count: number): LinkWorkers | undefined };

export async function verifyAuditChain(deps: { auditEvents: ChainReader; auditKey: VerifyingKey }, options: VerifyOptions): Promise<AuditVerification> {
  const { auditEvents, auditKey } = deps;
  const file = options.checkpointFile;
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const state = await auditEvents.readAuditChainState();
  const checkpoints = await checkpointsAfterRestores(auditEvents, options.checkpoints);
  // The file is trusted over the database for where keyed links begin: moving it is how a writer
  // without the key would pass rewritten links off as old ones.
  const recordedKeyedFrom = checkpoints.length > 0 ? Math.min(...checkpoints.map((c) => c.keyedFrom)) : undefined;
  const keyedFrom = recordedKeyedFrom ?? state.keyedFrom;
  let checked = 0;
  let checkpointsChecked = 0;
  const result = (finding: ProblemText, brokenAt: number | null): AuditVerification => ({
    isIntact: brokenAt === null,
    eventsChecked: checked,
    keyedFrom,
    headSeq: state.head.seq,
    checkpointsChecked,
    brokenAt,
    finding,
    message: renderProblem(finding),
  });

  // Worth their start-up only for a long chain; none where the key cannot start them.
  const workerCount = Math.min(options.workers ?? 0, availableParallelism());
  const workers = workerCount > 0 && state.lastSeq - state.firstSeq >= PARALLEL_FROM ? auditKey.startLinkWorkers?.(workerCount) : undefined;
  let prefetched: { readonly after: number; readonly through: number; readonly page: Promise<ChainPage> } | undefined;
  const prefetch = (after: number, through: number) => {
    const page = auditEvents.readAuditChainPage(after, through);
    page.catch(() => undefined);
    prefetched = { after, through, page };
  };
  const readPage = (after: number, through: number): Promise<ChainPage> => {
    const ready = prefetched;
    prefetched = undefined;
    return ready !== undefined && ready.after === after && ready.through === through ? ready.page : auditEvents.readAuditChainPage(after, through);
  };
  try {
    const foreign = checkpoints.find((c) => c.keyId !== auditKey.keyId);
    if (foreign !== undefined) throw new ChainBreak(0, problem("audit_chain_checkpoint_other_key", { file, keyId: foreign.keyId }));

    let previous: ChainPoint = { seq: 0, link: GENESIS_HASH };
    const fromFile = checkpoints.find((c) => c.seq === state.archived.seq);
    if (state.archived.seq > 0) {
      // Archived (`watchword audit archive`): the database records where the live chain begins; a
      // checkpoint of that point, or the archiving's own event further on, must vouch for it (below).
      if (fromFile !== undefined && fromFile.link !== state.archived.link) throw new ChainBreak(state.archived.seq, problem("audit_chain_checkpoint_differs", { seq: state.archived.seq, file }));
      previous = state.archived;
    } else if (state.firstSeq > 1) {
      // Events deleted with no archive recorded: only a checkpoint of the last one gone vouches for where the rest begins.
      const start = checkpoints.find((c) => c.seq === state.firstSeq - 1);
      if (start === undefined) throw new ChainBreak(state.firstSeq, problem("audit_chain_start_missing", { seq: state.firstSeq }));
      previous = start;
    }
    const start = previous;
    let nextCheckpoint = checkpoints.findIndex((c) => c.seq > previous.seq);
    if (nextCheckpoint === -1) nextCheckpoint = checkpoints.length;
    const lastSeq = Math.min(state.lastSeq, state.head.seq);
    const total = Math.max(0, lastSeq - previous.seq);
    options.onProgress?.(0, total);

    while (previous.seq < lastSeq) {
      options.signal?.throwIfAborted();
      let through = Math.min(previous.seq + pageSize, lastSeq);
      // A page is all plain or all keyed.
      if (previous.seq < keyedFrom - 1) through = Math.min(through, keyedFrom - 1);
      let page = await readPage(previous.seq, through);
      const gap = await firstGap(auditEvents, page, previous.seq, through);
      if (gap !== undefined) {
        // Check what comes before the gap first: an earlier break is the first event at fault.
        page = gap === previous.seq + 1 ? page : await auditEvents.readAuditChainPage(previous.seq, gap - 1);
        if (gap === previous.seq + 1) throw new ChainBreak(gap, problem("audit_chain_event_missing", { seq: gap }));
      }
      const isKeyed = page.firstSeq >= keyedFrom;
      const linkOf = isKeyed ? auditKey.link : legacyLink;
      // The workers hash this page while the next one is read (the database's share of the time).
      const checking = firstBrokenEvent(auditEvents, page, previous.link, linkOf, isKeyed, isKeyed ? workers : undefined);
      if (gap === undefined && page.lastSeq < lastSeq) {
        const nextThrough = Math.min(page.lastSeq + pageSize, lastSeq, page.lastSeq < keyedFrom - 1 ? keyedFrom - 1 : Infinity);
        prefetch(page.lastSeq, nextThrough);
      }
      const brokenSeq = await checking;
      // Checkpoints inside the page, up to the broken event: whichever comes first is reported.
      while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.seq <= Math.min(page.lastSeq, brokenSeq?.seq ?? Infinity)) {
        const checkpoint = checkpoints[nextCheckpoint]!;
        const stored = page.links.substr(LINK_LENGTH * (checkpoint.seq - page.firstSeq), LINK_LENGTH);
        if (stored !== checkpoint.link && checkpoint.seq !== brokenSeq?.seq && (await storedLink(auditEvents, checkpoint.seq)) !== checkpoint.link) {
          throw new ChainBreak(checkpoint.seq, problem("audit_chain_checkpoint_differs", { seq: checkpoint.seq, file }));
        }
        nextCheckpoint += 1;
        checkpointsChecked += 1;
      }
      if (brokenSeq !== undefined) throw brokenSeq;
      checked += page.count;
      previous = { seq: page.lastSeq, link: page.links.slice(-LINK_LENGTH) };
      if (gap !== undefined) throw new ChainBreak(gap, problem("audit_chain_event_missing", { seq: gap }));
      options.onProgress?.(checked, total);
    }

    if (state.lastSeq > state.head.seq) {
      throw new ChainBreak(state.head.seq + 1, problem("audit_chain_beyond_head", { seq: state.head.seq + 1, headSeq: state.head.seq }));
    }
    const beyond = checkpoints[nextCheckpoint];
    // The first event gone is the one after the last still here.
    if (beyond !== undefined) throw new ChainBreak(previous.seq + 1, problem("audit_chain_checkpoint_absent", { seq: beyond.seq, first: previous.seq + 1, file }));
    if (state.head.seq > previous.seq) throw new ChainBreak(previous.seq + 1, problem("audit_chain_head_ahead", { seq: previous.seq, headSeq: state.head.seq }));
    if (state.head.link !== previous.link) throw new ChainBreak(previous.seq, problem("audit_chain_head_differs", { seq: previous.seq }));
    if (recordedKeyedFrom !== undefined && recordedKeyedFrom !== state.keyedFrom) {
      throw new ChainBreak(Math.min(recordedKeyedFrom, state.keyedFrom), problem("audit_chain_keyed_from_moved", { stored: state.keyedFrom, recorded: recordedKeyedFrom, file }));
    }
    // The chain is intact from its recorded start on; that start itself must be vouched for.
    if (start.seq > 0 && fromFile === undefined && !(await isArchiveVouched(auditEvents, start))) {
      throw new ChainBreak(start.seq + 1, problem("audit_chain_start_unvouched", { seq: start.seq }));
    }
  } catch (error) {
    if (error instanceof ChainBreak) return result(error.finding, error.seq);
    throw error;
  } finally {
    await prefetched?.page.catch(() => undefined);
    await workers?.close();
  }
  return result(problem("audit_chain_intact", { count: checked, checkpoints: checkpointsChecked }), null);
}

/**
 * Whether the newest archiving event in the (verified, keyed) live chain names this start: a writer
 * of the database could delete old events and move the recorded start, but not forge that event.
 */
async function isArchiveVouched(auditEvents: ChainReader, start: ChainPoint): Promise<boolean> {
  const event = await auditEvents.lastAuditEventOf("audit.archived");
  if (event === undefined) return false;
  try {
    const details = JSON.parse(event.details) as { throughSeq?: unknown; throughLink?: unknown };
    return details.throughSeq === start.seq && details.throughLink === start.link;
  } catch {
    return false;
  }
}

/** The first seq missing from (after, through] (every one of them should be stored), or undefined. */
async function firstGap(auditEvents: ChainReader, page: ChainPage, after: number, through: number): Promise<number | undefined> {
  if (page.count === through - after) return undefined;
  if (page.count === 0 || page.firstSeq !== after + 1) return after + 1;
  // Rare: a hole inside the page. Walk the seqs (one indexed look-up each) to find it.
  for (let expected = after + 2; ; expected += 1) {
    if ((await auditEvents.nextAuditSeq(expected - 1)) !== expected) return expected;
  }
}

const storedLink = async (auditEvents: ChainReader, seq: number): Promise<string | undefined> =>
  (await auditEvents.listAuditEvents({ afterSeq: seq - 1, limit: 1 })).find((event) => event.seq === seq)?.hash;

/** The link of the event before `seq` (empty when that one is missing) and the event itself, as stored. */
async function eventAndLinkBefore(auditEvents: ChainReader, seq: number) {
  const [first, second] = await auditEvents.listAuditEvents({ afterSeq: seq - 2, limit: 2 });
  return first?.seq === seq - 1 ? ([first.hash, second] as const) : (["", first] as const);
}

/** Checks the page's links fast, and each event the fast check doubts again from its stored fields. */
async function firstBrokenEvent(
  auditEvents: ChainReader,
  page: ChainPage,
  previous: string,
  linkOf: LinkFunction,
  isKeyed: boolean,
  workers: LinkWorkers | undefined,
): Promise<ChainBreak | undefined> {
  const find = (startIndex: number) => (workers === undefined ? Promise.resolve(findBrokenLink(page, previous, linkOf, startIndex)) : workers.findBrokenLink(page, previous, startIndex));
  let index = await find(0);
  while (index !== -1) {
    const seq = page.firstSeq + index;
    // Judged from the rows themselves, not the page: the authority if the page and the rows ever disagree.
    const [before, event] = index === 0 ? [previous, (await auditEvents.listAuditEvents({ afterSeq: seq - 1, limit: 1 }))[0]] : await eventAndLinkBefore(auditEvents, seq);
    const judgement = event === undefined || event.seq !== seq ? "changed" : judgeEvent(event, before, linkOf, isKeyed);
    // "intact": the database wrote this line differently from JSON.stringify (an unusual character); the fields agree.
    if (judgement !== "intact") return new ChainBreak(seq, problem(JUDGED[judgement], { seq }));
    index = await find(index + 1);
  }
  return undefined;
}

/** What verifying a vault's own log needs: its store, its audit key and a checkpoint file. */
export interface AuditLogVerifier {
  readonly store: { readonly auditEvents: ChainReader };
  readonly auditKey: VerifyingKey;
  readonly checkpointFile: string;
}

/** Reads the checkpoint file (absent: none, unless `isFileRequired`) and verifies the chain against it. */
/** The audit.verified event of a verification asked for through the API: its verdict, never an event's content. */
export async function auditVerification(auditLog: AuditLog, actor: AuditActor, verification: AuditVerification): Promise<void> {
  const { isIntact, eventsChecked, headSeq, brokenAt, finding } = verification;
  await auditLog.commit(actor, {
    events: () => [
      { action: "audit.verified", ...(isIntact ? {} : { outcome: "failure" as const, reason: finding.key }), details: { intact: isIntact, eventsChecked, headSeq, brokenAt } },
    ],
  });
}

export async function verifyAuditLog(
  deps: AuditLogVerifier,
  options: { readonly isFileRequired: boolean } & Pick<VerifyOptions, "onProgress" | "signal" | "workers">,
): Promise<AuditVerification> {
  const { checkpointFile } = deps;
  if (options.isFileRequired && !existsSync(checkpointFile)) {
    throw invalidInput(problem("audit_checkpoint_file_unreadable", { file: checkpointFile, reason: "ENOENT" }), "from-checkpoint");
  }
  const checkpoints = await readAuditCheckpoints(checkpointFile);
  return verifyAuditChain(
    { auditEvents: deps.store.auditEvents, auditKey: deps.auditKey },
    {
      checkpoints,
      checkpointFile,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.workers === undefined ? {} : { workers: options.workers }),
    },
  );
}
