// A user's own account-recovery method: one e-mail address or phone number, added or changed only
// in sudo mode and only once a code sent to it is entered back. It is never a sign-in factor (NIST
// SP 800-63B §5.1.3.1): account-recovery.ts is its only reader. Audited; no event names the address.
import type { Clock } from "../core/clock.js";
import { invalidInput, notFound, problem } from "../core/errors.js";
import type { UserId } from "../core/ids.js";
import { hintOf, normaliseRecoveryAddress, type RecoveryChannel } from "../core/recovery-address.js";
import { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Repositories } from "../store/store.js";
import type { AccountRecoveryRecord } from "../store/recovery-methods.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import type { ReauthenticationService } from "./reauthentication.js";
import type { RecoveryCodeAttempts, SentCode } from "./recovery-code-attempts.js";

export interface RecoveryMethodView {
  readonly channel: RecoveryChannel;
  /** "a•••@e•••.com": the address itself is never shown again. */
  readonly hint: string;
  readonly confirmedAt: number;
}

export interface OwnRecoveryView {
  readonly method: RecoveryMethodView | undefined;
  readonly channels: { readonly email: boolean; readonly sms: boolean };
  /** A recovery of this account under way: its owner, signed in, may cancel it. */
  readonly recovery: AccountRecoveryRecord | undefined;
}

export interface StartedConfirmation extends SentCode {
  readonly channel: RecoveryChannel;
  readonly hint: string;
}

export interface RecoveryMethodService {
  view(actor: Actor): Promise<OwnRecoveryView>;
  /** Sends a code to the new address; sending again supersedes the code sent before. Sudo mode. */
  startConfirmation(actor: Actor, channel: RecoveryChannel, address: string): Promise<StartedConfirmation>;
  /** The code sent by startConfirmation, with its attempt's token: the method is then saved. Sudo mode. */
  confirm(actor: Actor, attemptToken: string, code: string): Promise<RecoveryMethodView>;
  remove(actor: Actor): Promise<void>;
  /** The owner stops a recovery they did not ask for. */
  cancelRecovery(actor: Actor): Promise<void>;
}

export const methodAddressBinding = (userId: UserId) => ({ recordId: userId, field: "recovery-method:address" });

export function createRecoveryMethodService(deps: {
  store: Pick<Repositories, "recoveryMethods" | "users">;
  keyring: Pick<Keyring, "seal" | "open">;
  attempts: RecoveryCodeAttempts;
  auditLog: AuditLog;
  clock: Clock;
  reauthentication: Pick<ReauthenticationService, "requireRecent">;
}): RecoveryMethodService {
  const { store, keyring, attempts, auditLog, clock, reauthentication } = deps;
  const target = (actor: Actor) => ({ type: "user" as const, id: actor.userId, name: actor.username });

  async function methodOf(userId: UserId): Promise<RecoveryMethodView | undefined> {
    const method = await store.recoveryMethods.findMethod(userId);
    if (method === undefined) return undefined;
    const address = keyring.open(method.addressSealed, methodAddressBinding(userId));
    try {
      return { channel: method.channel, hint: hintOf(method.channel, address.revealUtf8()), confirmedAt: method.confirmedAt };
    } finally {
      address.destroy();
    }
  }

  return {
    async view(actor) {
      return {
        method: await methodOf(actor.userId),
        channels: { email: attempts.isAvailable("email"), sms: attempts.isAvailable("sms") },
        recovery: await store.recoveryMethods.findOpenRecoveryOfUser(actor.userId),
      };
    },

    async startConfirmation(actor, channel, rawAddress) {
      await reauthentication.requireRecent(actor);
      const address = normaliseRecoveryAddress(channel, rawAddress);
      const user = await store.users.findUserById(actor.userId);
      const sent = await attempts.send(actor.userId, "confirm_method", channel, address, user?.language ?? "en");
      await auditLog.commit(actor, { events: () => [{ action: "user.recovery_code_sent", target: target(actor), details: { purpose: "confirm_method", channel, attemptId: sent.attemptId } }] });
      return { ...sent, channel, hint: hintOf(channel, address) };
    },

    async confirm(actor, attemptToken, code) {
      await reauthentication.requireRecent(actor);
      const verdict = await attempts.verify(actor.userId, "confirm_method", attemptToken, code);
      if (!verdict.ok) {
        await auditLog.commit(actor, { events: () => [{ action: "user.recovery_method_added", outcome: "failure", reason: verdict.reason, target: target(actor), details: { attemptId: verdict.attemptId } }] });
        throw invalidInput(verdict.reason === "too_many_attempts" ? problem("recovery_code_attempts_exhausted") : problem("recovery_code_wrong", { count: verdict.left }), "code");
      }
      const { attempt, address } = verdict;
      const now = clock.now();
      const secret = Secret.fromUtf8(address);
      const sealed = keyring.seal(secret, methodAddressBinding(actor.userId));
      secret.destroy();
      await auditLog.commit(actor, {
        work: (tx) => tx.recoveryMethods.saveMethod({ userId: actor.userId, channel: attempt.channel, addressSealed: sealed, confirmedAt: now }),
        events: () => [{ action: "user.recovery_method_added", target: target(actor), details: { channel: attempt.channel, attemptId: attempt.id } }],
      });
      return { channel: attempt.channel, hint: hintOf(attempt.channel, address), confirmedAt: now };
    },

    async remove(actor) {
      await reauthentication.requireRecent(actor);
      const method = await store.recoveryMethods.findMethod(actor.userId);
      if (method === undefined) throw notFound(problem("recovery_method_missing"));
      await auditLog.commit(actor, {
        work: (tx) => tx.recoveryMethods.deleteMethod(actor.userId),
        events: () => [{ action: "user.recovery_method_removed", target: target(actor), details: { channel: method.channel } }],
      });
    },

    async cancelRecovery(actor) {
      const open = await store.recoveryMethods.findOpenRecoveryOfUser(actor.userId);
      if (open === undefined) throw notFound(problem("recovery_not_found"));
      await auditLog.commit(actor, {
        work: async (tx) => {
          if (!(await tx.recoveryMethods.decideRecovery(open.id, ["pending", "approved"], "cancelled", actor.userId, clock.now()))) throw notFound(problem("recovery_not_found"));
        },
        events: () => [{ action: "user.recovery_cancelled", target: target(actor), details: { recoveryId: open.id } }],
      });
    },
  };
}
