// Sign-in recovery codes as a way through the second step (services/second-factors.ts): offered
// beside the user's factors, never alone, each code accepted once (sign-in-recovery-codes.ts keeps
// them hashed and audits each use).
import { invalidInput, problem } from "../core/errors.js";
import { normaliseRecoveryCode } from "../core/sign-in-recovery-code.js";
import type { SecondFactorVerifier } from "./second-factors.js";
import type { SignInRecoveryCodeService } from "./sign-in-recovery-codes.js";

export function createRecoveryCodeVerifier(recoveryCodes: Pick<SignInRecoveryCodeService, "count" | "use">): SecondFactorVerifier<string> {
  return {
    method: "recovery_code",
    isFallback: true,
    async hasMethod(userId) {
      return (await recoveryCodes.count(userId)).remaining > 0;
    },
    parse(submission) {
      // Shape only: the code itself is compared by use(), which normalises it the same way once.
      if (submission.code === undefined || normaliseRecoveryCode(submission.code) === undefined) throw invalidInput(problem("recovery_code_malformed"), "code");
      return submission.code;
    },
    async verify(userId, code, { origin }) {
      const used = await recoveryCodes.use(userId, code, origin);
      return used.accepted ? { ok: true, factorId: "recovery_code" } : { ok: false, reason: "wrong_code" };
    },
  };
}
