// A vault user's sign-in recovery codes: ten single-use codes that stand in for the second factor
// when the person has lost it (NIST SP 800-63B §5.1.2, "look-up secrets"). Shown once when made,
// then kept only as salted hashes; a new set replaces the whole old one in one transaction; every
// use, and every refusal, is audited, and the person told how many remain.
//
// Why a salted HMAC-SHA-256 and not argon2id (passwords.ts): a code is 80 random bits chosen by
// the server, not a word a person chose. Guessing one from a stolen database means about 2^79
// hashes for that one code (the 128-bit salt of each code stops one search from serving every
// code and precomputed tables), which stays out of reach even at 10^12 hashes a second. A slow
// password hash stretches guessable secrets; here it would add nothing an attacker notices, while
// each sign-in attempt would pay for ten slow verifications (one per unused code), an easy way to
// exhaust the server. NIST's line for a plain approved hash is 112 bits: RECOVERY_CODE_LENGTH in
// core/sign-in-recovery-code.ts is the one number to raise (24 characters = 120 bits) to meet it.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { notFound, problem } from "../core/errors.js";
import type { UserId } from "../core/ids.js";
import { formatRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_BITS, RECOVERY_CODE_COUNT, recoveryCodeFromBytes } from "../core/sign-in-recovery-code.js";
import type { RecoveryCodeSetStatus, StoredRecoveryCode } from "../store/sign-in-recovery-codes.js";
import type { Repositories } from "../store/store.js";
import type { UserRecord } from "../store/users.js";
import type { Actor, RequestOrigin } from "./actor.js";
import type { AuditActor, AuditLog } from "./audit-log.js";

export interface GeneratedRecoveryCodes {
  /** The ten codes as xxxx-xxxx-xxxx-xxxx: the only time anyone sees them. */
  readonly codes: readonly string[];
  readonly generatedAt: number;
}

/** The answer to a submitted code: accepted (and now used), with how many remain, or refused. */
export type RecoveryCodeUse = { readonly accepted: true; readonly remaining: number } | { readonly accepted: false };

export interface SignInRecoveryCodeService {
  /** A new set for the signed-in person, replacing any old one; the codes are answered once. */
  generate(actor: Actor): Promise<GeneratedRecoveryCodes>;
  /** How many codes remain, of how many, made when (all zero and null for a user who has none). */
  count(userId: UserId): Promise<RecoveryCodeSetStatus>;
  /**
   * The second step of a sign-in with a recovery code, for the user whose password was right.
   * Accepts a code once; anything else (wrong, used, malformed, oversized) is refused. Audited
   * either way as user.recovery_code_used. Throttling is the caller's (second-factor-throttle.ts).
   */
  use(userId: UserId, submittedCode: string, origin: RequestOrigin): Promise<RecoveryCodeUse>;
}

const hashOf = (salt: string, code: string): Buffer => createHmac("sha256", Buffer.from(salt, "hex")).update(code, "utf8").digest();

/** The slot whose hash matches, comparing against every unused code in constant time (no early exit). */
function matchingSlot(code: string, stored: readonly StoredRecoveryCode[]): number | undefined {
  let found: number | undefined;
  for (const candidate of stored) {
    const expected = Buffer.from(candidate.codeHash, "hex");
    const given = hashOf(candidate.salt, code);
    if (expected.length === given.length && timingSafeEqual(expected, given)) found = candidate.slot;
  }
  return found;
}

export function createSignInRecoveryCodeService(deps: {
  store: Pick<Repositories, "users" | "signInRecoveryCodes">;
  auditLog: AuditLog;
  clock: Clock;
}): SignInRecoveryCodeService {
  const { store, auditLog, clock } = deps;

  async function generate(actor: Actor): Promise<GeneratedRecoveryCodes> {
    const now = clock.now();
    const plain = Array.from({ length: RECOVERY_CODE_COUNT }, () => recoveryCodeFromBytes(randomBytes(RECOVERY_CODE_BITS / 8)));
    const stored = plain.map((code, slot) => {
      const salt = randomBytes(16).toString("hex");
      return { slot, salt, codeHash: hashOf(salt, code).toString("hex") };
    });
    await auditLog.commit(actor, {
      work: async (tx) => {
        const before = await tx.signInRecoveryCodes.status(actor.userId);
        await tx.signInRecoveryCodes.replaceSet(actor.userId, stored, now);
        return before;
      },
      events: (before) => [
        {
          action: "user.recovery_codes_generated",
          target: { type: "user", id: actor.userId, name: actor.username },
          details: { count: RECOVERY_CODE_COUNT, replacedUnused: before.remaining },
        },
      ],
    });
    return { codes: plain.map(formatRecoveryCode), generatedAt: now };
  }

  async function userOf(userId: UserId): Promise<UserRecord> {
    const user = await store.users.findUserById(userId);
    if (user === undefined) throw notFound(problem("user_id_not_found"));
    return user;
  }

  return {
    generate,

    count: (userId) => store.signInRecoveryCodes.status(userId),

    async use(userId, submittedCode, origin) {
      const user = await userOf(userId);
      const actor: AuditActor = { kind: "user", userId: user.id, username: user.username, origin };
      const target = { type: "user" as const, id: user.id, name: user.username };
      const refuse = async (reason: string): Promise<RecoveryCodeUse> => {
        await auditLog.commit(actor, { events: () => [{ action: "user.recovery_code_used", outcome: "failure", reason, target }] });
        return { accepted: false };
      };
      // Normalised once: this one value is hashed for every comparison.
      if (user.disabledAt !== null) return refuse("user_disabled");
      const code = normaliseRecoveryCode(submittedCode);
      if (code === undefined) return refuse("malformed_code");
      const slot = matchingSlot(code, await store.signInRecoveryCodes.listUnused(userId));
      if (slot === undefined) return refuse("wrong_code");
      const now = clock.now();
      return auditLog.commit<RecoveryCodeUse>(actor, {
        work: async (tx) => {
          // Two submissions of one code at once: the guarded UPDATE lets exactly one through.
          if (!(await tx.signInRecoveryCodes.markUsed(userId, slot, now))) return { accepted: false };
          return { accepted: true, remaining: (await tx.signInRecoveryCodes.status(userId)).remaining };
        },
        events: (result) => [
          result.accepted
            ? { action: "user.recovery_code_used", target, details: { remaining: result.remaining } }
            : { action: "user.recovery_code_used", outcome: "failure", reason: "code_already_used", target },
        ],
      });
    },
  };
}
