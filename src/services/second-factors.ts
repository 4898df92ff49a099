// The second step of signing in, by method: each method (TOTP, passkeys, push approval; recovery
// codes beside them) is a verifier that says whether a user has it and checks what they submit.
// Sign-in, re-authentication and later step-up all ask the same registry.
import { invalidInput, problem, type WatchwordError } from "../core/errors.js";
import type { UserId } from "../core/ids.js";
import type { RequestOrigin } from "./actor.js";

/** The methods a second step may use; a new method adds its name here and a verifier. */
export type SecondFactorMethod = "totp" | "passkey" | "recovery_code" | "push";
export const SECOND_FACTOR_METHODS: readonly SecondFactorMethod[] = ["totp", "passkey", "recovery_code", "push"];

/** What the person sent for the second step, as the API carries it. */
export interface SecondFactorSubmission {
  readonly method: string;
  readonly code?: string | undefined;
  /** A passkey's assertion (navigator.credentials.get() as JSON), for method passkey. */
  readonly credential?: unknown;
  /**
   * Set by the sign-in-challenge service, never from the request: the challenge being answered,
   * for methods bound to it (push approval). Absent elsewhere (re-authentication).
   */
  readonly challengeHash?: string | undefined;
}

/**
 * Where a second step is answered: the request's origin, and what its challenge is bound to (a
 * pending sign-in, or the session that re-authenticates), so that a passkey's challenge from
 * another sign-in or session is refused.
 */
export interface SecondStepContext {
  readonly origin: RequestOrigin;
  readonly binding: string;
}

export type FactorVerdict =
  | { readonly ok: true; readonly factorId: string }
  /** wrong: nothing matched. replayed: a code (or step) already accepted once. not_approved: no approved push request for this sign-in. */
  | {
      readonly ok: false;
      readonly reason: "wrong_code" | "replayed_code" | "not_approved";
      /** What the person is told instead of "wrong code" (a passkey's own refusal: a stale challenge, a cloned key). */
      readonly refusal?: WatchwordError | undefined;
    };

export interface SecondFactorVerifier<Parsed = unknown> {
  readonly method: SecondFactorMethod;
  /**
   * A way back in, not a factor of its own (sign-in recovery codes): offered beside the user's
   * factors, never alone, so that codes saved before any factor do not make the password ask for one.
   */
  readonly isFallback?: boolean;
  hasMethod(userId: UserId): Promise<boolean>;
  /** Checks the submission's shape before anything is counted: throws invalid_input (400), changes nothing. */
  parse(submission: SecondFactorSubmission): Parsed;
  /** Verifies and, when it is accepted, records the use (last step, last used) so it cannot be replayed. */
  verify(userId: UserId, parsed: Parsed, context: SecondStepContext): Promise<FactorVerdict>;
}

export interface SecondFactors {
  /** The methods the user can answer a second step with; empty: the password is enough. */
  methodsOf(userId: UserId): Promise<SecondFactorMethod[]>;
  /** The verifier for a submission the user may make, with the submission parsed; throws 400 otherwise. */
  prepare(userId: UserId, submission: SecondFactorSubmission, context: SecondStepContext): Promise<PreparedSubmission>;
}

export interface PreparedSubmission {
  readonly method: SecondFactorMethod;
  verify(): Promise<FactorVerdict>;
}

export function createSecondFactors(verifiers: readonly SecondFactorVerifier[]): SecondFactors {
  const byMethod = new Map(verifiers.map((v) => [v.method as string, v]));
  async function methodsOf(userId: UserId): Promise<SecondFactorMethod[]> {
    const held: SecondFactorVerifier[] = [];
    for (const verifier of verifiers) if (await verifier.hasMethod(userId)) held.push(verifier);
    return held.some((verifier) => verifier.isFallback !== true) ? held.map((verifier) => verifier.method) : [];
  }
  return {
    methodsOf,
    async prepare(userId, submission, context) {
      const verifier = byMethod.get(submission.method);
      const method = String(submission.method).slice(0, 40);
      if (verifier === undefined || !(await methodsOf(userId)).includes(verifier.method)) throw invalidInput(problem("second_factor_method_unavailable", { method }), "method");
      const parsed = verifier.parse(submission);
      return { method: verifier.method, verify: () => verifier.verify(userId, parsed, context) };
    },
  };
}
