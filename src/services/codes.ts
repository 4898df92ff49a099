// Codes: computed on the server from the unsealed seed, handed out only after their audit event
// has committed. HOTP counters advance in the same transaction as that event.
import type { Clock } from "../core/clock.js";
import { conflict, problem, type ProblemKey, type ProblemParams } from "../core/errors.js";
import { renderProblem } from "../core/problems/catalogue.js";
import { generateHotp, generateTotp } from "../core/otp/generate.js";
import { MAX_HOTP_COUNTER, type OtpAlgorithm, type OtpParameters, type OtpType } from "../core/otp/types.js";
import type { Keyring } from "../crypto/keyring.js";
import type { EntryRecord, TimeBasedSource } from "../store/entries.js";
import type { Store, TransactionScope } from "../store/store.js";
import type { AccessService } from "./access.js";
import type { Caller } from "./actor.js";
import type { AuditApproval, AuditLog } from "./audit-log.js";
import { DAMAGED_SEED, damagedEvent, isDamaged, openOrDamaged, refuseDamaged } from "./damaged-secrets.js";
import { seedBinding, type EntryService } from "./entries.js";
import type { HotpMarks } from "./hotp-marks.js";
import type { StepUpService } from "./step-ups.js";

export interface IssuedCode {
  readonly entryId: string;
  readonly code: string;
  readonly type: OtpType;
  readonly digits: number;
  /** Seconds; null for HOTP. */
  readonly period: number | null;
  /** Unix seconds. */
  readonly validFrom: number;
  readonly validUntil: number | null;
}

export interface CodeService {
  /** The current TOTP or Steam code; refuses HOTP (a GET never advances a counter). */
  currentCode(actor: Caller, entryId: string): Promise<IssuedCode>;
  /** The next code: HOTP advances its counter; TOTP and Steam give the current code. */
  takeCode(actor: Caller, entryId: string): Promise<IssuedCode>;
  /** Current codes of every TOTP and Steam entry the actor may use, each audited; a damaged seed has its own row. */
  batchCodes(actor: Caller): Promise<CodeBatch>;
  /**
   * The next code of an entry the caller has already been allowed (break glass), as one audit
   * event carrying `extras` (its reason and details) whose `work` commits with it. A step-up the
   * entry asks for is asked here too: no way to a code goes around it.
   */
  issueCode(actor: Caller, entry: EntryRecord, extras: IssueExtras): Promise<IssuedCode>;
}

/** What a code handed out on another ground than a grant adds to its one audit event. */
export interface IssueExtras {
  readonly reason?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /** Writes that commit together with the event (the emergency use's record). */
  readonly work?: (tx: TransactionScope) => Promise<void>;
  /** On whose approval the code is handed out (details.approvedBy). */
  readonly approvedBy?: AuditApproval | undefined;
}

/** An entry of a batch that got no code, and why. */
export interface BatchProblem {
  readonly entryId: string;
  readonly code: "damaged" | "step_up_required";
  readonly key: ProblemKey;
  readonly params: ProblemParams;
  readonly detail: string;
}

export interface CodeBatch {
  readonly codes: readonly IssuedCode[];
  readonly problems: readonly BatchProblem[];
}

const COUNTER_USED_UP = problem("hotp_counter_used_up", { max: MAX_HOTP_COUNTER });

function withSeed<T>(keyring: Pick<Keyring, "open">, entry: TimeBasedSource, counter: number, use: (otp: OtpParameters) => T): T {
  if (entry.seedSealed === null || entry.otpType === null) throw conflict(problem("entry_no_seed"));
  const secret = keyring.open(entry.seedSealed, seedBinding(entry.id));
  try {
    return use({
      type: entry.otpType as OtpType,
      secret,
      algorithm: entry.otpAlgorithm as OtpAlgorithm,
      digits: entry.otpDigits ?? 6,
      period: entry.otpPeriod ?? 30,
      counter,
    });
  } finally {
    secret.destroy();
  }
}

const approval = (extras: IssueExtras) => (extras.approvedBy === undefined ? {} : { approvedBy: extras.approvedBy });

function timeBasedCode(keyring: Pick<Keyring, "open">, entry: TimeBasedSource, nowMs: number): IssuedCode {
  return withSeed(keyring, entry, 0, (otp) => {
    const code = generateTotp(otp, nowMs);
    return {
      entryId: entry.id,
      code: code.code,
      type: otp.type,
      digits: otp.digits,
      period: otp.period,
      validFrom: Math.floor(code.validFrom / 1000),
      validUntil: Math.floor(code.validUntil / 1000),
    };
  });
}

export function createCodeService(deps: {
  store: Pick<Store, "entries" | "grants">;
  access: Pick<AccessService, "listIds">;
  entries: Pick<EntryService, "loadForUse">;
  keyring: Pick<Keyring, "open">;
  auditLog: AuditLog;
  clock: Clock;
  /** High-water marks outside the database, so a restore never hands a counter out again (services/hotp-marks.ts). */
  hotpMarks?: Pick<HotpMarks, "cover">;
  /** Entries and folders that ask for a fresh second factor before each code (services/step-ups.ts). */
  stepUps?: Pick<StepUpService, "requireFresh" | "withheldOf">;
}): CodeService {
  const { store, access, entries, keyring, auditLog, clock, hotpMarks, stepUps } = deps;
  /** Allowed by policy, then the step-up (after the access check, so that a hidden entry stays a 404). */
  async function loadWithStepUp(actor: Caller, entryId: string) {
    const loaded = await entries.loadForUse(actor, entryId);
    await stepUps?.requireFresh(actor, entryId, loaded.stepUp);
    return loaded;
  }
  const eventFor = (entry: TimeBasedSource, details: Record<string, unknown>) => ({ action: "code.issued", entry: { id: entry.id, name: entry.name, folderId: entry.folderId }, details });

  async function issueTimeBased(actor: Caller, entry: EntryRecord, extras: IssueExtras = {}): Promise<IssuedCode> {
    const issued = openOrDamaged(() => timeBasedCode(keyring, entry, clock.now()));
    if (issued === "damaged") return refuseDamaged(auditLog, actor, eventFor(entry, { type: entry.otpType, ...extras.details }), DAMAGED_SEED);
    await auditLog.commit(actor, {
      ...(extras.work === undefined ? {} : { work: extras.work }),
      events: () => [{ ...eventFor(entry, { type: issued.type, validFrom: issued.validFrom, ...extras.details }), reason: extras.reason, ...approval(extras) }],
    });
    return issued;
  }

  async function issueHotp(actor: Caller, entry: EntryRecord, extras: IssueExtras = {}): Promise<IssuedCode> {
    // The code is made inside the transaction, before its event commits: if making it fails
    // (a damaged seed, say), the counter step rolls back with the event, and nothing after the
    // commit can fail.
    let code: { counter: number; code: string };
    try {
      code = await auditLog.commit(actor, {
        work: async (tx: TransactionScope) => {
          const counter = await tx.entries.takeHotpCounter(entry.id);
          if (counter === undefined) throw conflict(problem("entry_deleted"));
          if (counter === "exhausted") throw conflict(COUNTER_USED_UP);
          // Before the commit: a mark that cannot be written rolls the counter back with the event.
          await hotpMarks?.cover(entry.id, entry.seedUpdatedAt, counter);
          const made = { counter, code: withSeed(keyring, entry, counter, (otp) => generateHotp(otp, counter)) };
          await extras.work?.(tx);
          return made;
        },
        events: ({ counter }: { counter: number }) => [{ ...eventFor(entry, { type: "hotp", counter, ...extras.details }), reason: extras.reason, ...approval(extras) }],
      });
    } catch (error) {
      if (isDamaged(error)) return refuseDamaged(auditLog, actor, eventFor(entry, { type: "hotp", ...extras.details }), DAMAGED_SEED);
      throw error;
    }
    return { entryId: entry.id, code: code.code, type: "hotp", digits: entry.otpDigits ?? 6, period: null, validFrom: Math.floor(clock.now() / 1000), validUntil: null };
  }

  /**
   * On whose approval each entry of a batch is handed out. Only an entry that a live grant from an
   * approved access request may cover needs the look-up (policy then says which grant it is), so a
   * batch with none — a script's, nearly always — costs one read of the caller's grants.
   */
  async function approvalsOf(actor: Caller, batch: readonly TimeBasedSource[]): Promise<Map<string, AuditApproval>> {
    const approvals = new Map<string, AuditApproval>();
    if (actor.kind !== "user") return approvals;
    const now = clock.now();
    const fromRequests = (await store.grants.listGrants({ principal: { kind: "user", id: actor.userId } })).filter(
      (grant) => grant.accessRequestId !== null && (grant.expiresAt === null || grant.expiresAt > now),
    );
    if (fromRequests.length === 0) return approvals;
    const isCovered = (entry: TimeBasedSource) => fromRequests.some((grant) => grant.scope.id === (grant.scope.kind === "entry" ? entry.id : entry.folderId));
    for (const entry of batch.filter(isCovered)) {
      const { approvedBy } = await entries.loadForUse(actor, entry.id);
      if (approvedBy !== undefined) approvals.set(entry.id, approvedBy);
    }
    return approvals;
  }

  return {
    async currentCode(actor, entryId) {
      const { entry, approvedBy } = await loadWithStepUp(actor, entryId);
      if (entry.otpType === "hotp") throw conflict(problem("entry_is_hotp"));
      return issueTimeBased(actor, entry, { approvedBy });
    },

    async takeCode(actor, entryId) {
      const { entry, approvedBy } = await loadWithStepUp(actor, entryId);
      return entry.otpType === "hotp" ? issueHotp(actor, entry, { approvedBy }) : issueTimeBased(actor, entry, { approvedBy });
    },

    async issueCode(actor, entry, extras) {
      await stepUps?.requireFresh(actor, entry.id);
      return entry.otpType === "hotp" ? issueHotp(actor, entry, extras) : issueTimeBased(actor, entry, extras);
    },

    async batchCodes(actor) {
      // Every entry the actor may use now (an administrator: every one without an approval rule).
      const allowed = await store.entries.listTimeBasedSources(await access.listIds(actor, "use", "all", "enforced"));
      // An entry that asks for a step-up gets a row of its own instead of a code, unless this session gave one.
      const withheld = stepUps === undefined ? new Set<string>() : await stepUps.withheldOf(actor, allowed.map((entry) => entry.id));
      const visible = allowed.filter((entry) => !withheld.has(entry.id));
      const now = clock.now();
      const codes: IssuedCode[] = [];
      const sources: TimeBasedSource[] = [];
      const damaged: TimeBasedSource[] = [];
      for (const entry of visible) {
        // One damaged entry gets its own row; it does not cost everyone else their codes.
        const code = openOrDamaged(() => timeBasedCode(keyring, entry, now));
        if (code === "damaged") {
          damaged.push(entry);
        } else {
          codes.push(code);
          sources.push(entry);
        }
      }
      if (codes.length > 0 || damaged.length > 0) {
        const approvals = await approvalsOf(actor, sources);
        await auditLog.commit(actor, {
          events: () => [
            ...codes.map((c, i) => ({ ...eventFor(sources[i]!, { type: c.type, validFrom: c.validFrom, batch: true }), ...approval({ approvedBy: approvals.get(c.entryId) }) })),
            ...damaged.map((entry) => damagedEvent(eventFor(entry, { type: entry.otpType, batch: true }))),
          ],
        });
      }
      const stepUpProblem = actor.kind === "user" ? problem("step_up_required") : problem("step_up_not_for_tokens");
      return {
        codes,
        problems: [
          ...damaged.map((entry) => ({ entryId: entry.id, code: "damaged" as const, ...DAMAGED_SEED, detail: renderProblem(DAMAGED_SEED) })),
          ...[...withheld].map((entryId) => ({ entryId, code: "step_up_required" as const, ...stepUpProblem, detail: renderProblem(stepUpProblem) })),
        ],
      };
    },
  };
}
