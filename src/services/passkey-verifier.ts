// Passkeys and security keys as a second factor (services/second-factors.ts): offered to a user
// who registered one; the assertion must sign the challenge bound to this very sign-in or session
// (passkey-sign-in.ts checks origin, challenge, signature and counter, audits and counts failures).
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { invalidInput, isWatchwordError, problem } from "../core/errors.js";
import type { Repositories } from "../store/store.js";
import type { PasskeySignInService } from "./passkey-sign-in.js";
import type { SecondFactorVerifier } from "./second-factors.js";

export function createPasskeyVerifier(deps: {
  passkeys: Pick<Repositories["passkeys"], "countPasskeysOfUser">;
  passkeySignIn: Pick<PasskeySignInService, "verifySecondFactorAssertion">;
  /** Without a relying party (no WATCHWORD_PUBLIC_URL) passkeys cannot answer, so none is offered. */
  isConfigured: boolean;
}): SecondFactorVerifier<AuthenticationResponseJSON> {
  return {
    method: "passkey",
    async hasMethod(userId) {
      return deps.isConfigured && (await deps.passkeys.countPasskeysOfUser(userId)) > 0;
    },
    parse(submission) {
      // The request schema has already checked its shape (contract/passkeys.ts PasskeyAssertion).
      if (submission.credential === undefined || submission.credential === null) throw invalidInput(problem("passkey_response_invalid"), "credential");
      return submission.credential as AuthenticationResponseJSON;
    },
    async verify(userId, assertion, { origin, binding }) {
      try {
        const used = await deps.passkeySignIn.verifySecondFactorAssertion(userId, binding, assertion, origin);
        return { ok: true, factorId: used.passkeyId };
      } catch (error) {
        // A throttle (429) is not a wrong answer: it goes out as it is.
        if (!isWatchwordError(error) || error.code === "too_many_requests") throw error;
        return { ok: false, reason: "wrong_code", refusal: error };
      }
    },
  };
}
