// Verifies codes from a user's own authenticator app (TOTP, RFC 6238): ±1 step, and never a step
// at or before the last one accepted, which is advanced in the shared database by one conditional
// UPDATE (user-factors.ts), not remembered per node. The seed is unsealed only for the comparison.
import type { Clock } from "../core/clock.js";
import { invalidInput, problem } from "../core/errors.js";
import type { UserId } from "../core/ids.js";
import { checkTotpCode, normaliseOtpCode } from "../core/otp/verify-totp.js";
import type { OtpParameters } from "../core/otp/types.js";
import type { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import type { UserFactorRecord, UserFactorStore } from "../store/user-factors.js";
import type { FactorVerdict, SecondFactorVerifier } from "./second-factors.js";

/** What every Watchword factor uses: what Google Authenticator, Microsoft Authenticator and Authy all read. */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD = 30;

export const factorSecretBinding = (factorId: string) => ({ recordId: factorId, field: "user-factor:totp" });

export const totpParameters = (secret: Secret): OtpParameters => ({ type: "totp", secret, algorithm: "SHA1", digits: TOTP_DIGITS, period: TOTP_PERIOD, counter: 0 });

export interface TotpMatcher {
  /**
   * Checks a normalised code against one factor and, when it is right for a step later than the
   * last accepted one, takes that step atomically (`confirm`: an unconfirmed factor is confirmed by it).
   */
  match(factor: UserFactorRecord, code: string, confirm?: boolean): Promise<FactorVerdict>;
}

export function createTotpMatcher(deps: { factors: Pick<UserFactorStore, "advanceLastStep">; keyring: Pick<Keyring, "open">; clock: Clock }): TotpMatcher {
  const { factors, keyring, clock } = deps;
  return {
    async match(factor, code, confirm = false) {
      if (factor.secretSealed === null) return { ok: false, reason: "wrong_code" };
      const secret = keyring.open(factor.secretSealed, factorSecretBinding(factor.id));
      let check;
      try {
        check = checkTotpCode(totpParameters(secret), code, clock.now(), factor.lastStep);
      } finally {
        secret.destroy();
      }
      if (check.outcome === "wrong") return { ok: false, reason: "wrong_code" };
      if (check.outcome === "replayed") return { ok: false, reason: "replayed_code" };
      // Another request (on this node or another) may have taken this step since we read the row.
      const isTaken = await factors.advanceLastStep(factor.id, check.step, clock.now(), confirm);
      return isTaken ? { ok: true, factorId: factor.id } : { ok: false, reason: "replayed_code" };
    },
  };
}

export function createTotpVerifier(deps: { factors: Pick<UserFactorStore, "listFactorsOfUser" | "advanceLastStep">; keyring: Pick<Keyring, "open">; clock: Clock }): SecondFactorVerifier<string> {
  const matcher = createTotpMatcher(deps);
  const confirmedOf = async (userId: UserId) => (await deps.factors.listFactorsOfUser(userId)).filter((f) => f.kind === "totp" && f.confirmedAt !== null);
  return {
    method: "totp",
    hasMethod: async (userId) => (await confirmedOf(userId)).length > 0,
    parse(submission) {
      if (submission.code === undefined || submission.code === "") throw invalidInput(problem("second_factor_code_required"), "code");
      return normaliseOtpCode(submission.code, TOTP_DIGITS);
    },
    async verify(userId, code) {
      // A user may have several apps: any of them may answer; a replay on one is reported as such.
      let verdict: FactorVerdict = { ok: false, reason: "wrong_code" };
      for (const factor of await confirmedOf(userId)) {
        const result = await matcher.match(factor, code);
        if (result.ok) return result;
        if (result.reason === "replayed_code") verdict = result;
      }
      return verdict;
    },
  };
}
