// A user's own second factors: enrolling an authenticator app (a new seed sealed by the keyring,
// shown once as a QR code and a grouped key, active only after a first right code), listing,
// renaming and removing them. Enrolment and removal need a recent re-authentication; removal ends
// the user's other sessions. Audited; no event carries a code or a seed.
import { randomBytes, randomUUID } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { invalidInput, notFound, problem } from "../core/errors.js";
import { encodeBase32 } from "../core/otp/base32.js";
import { formatOtpauthUri } from "../core/otp/otpauth-uri.js";
import { normaliseOtpCode } from "../core/otp/verify-totp.js";
import { Secret } from "../core/secret.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Repositories } from "../store/store.js";
import type { UserFactorRecord } from "../store/user-factors.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import type { ReauthenticationService } from "./reauthentication.js";
import type { SecondFactorMethod, SecondFactors } from "./second-factors.js";
import type { SecurityNotices } from "./security-notices.js";
import { endOtherSessions, type RemovedFactor } from "./sessions.js";
import { createTotpMatcher, factorSecretBinding, TOTP_DIGITS, totpParameters } from "./totp-factors.js";

export const TOTP_ISSUER = "Watchword";
/** RFC 4226 §4: at least 128 bits; 160 bits is what RFC 6238's SHA-1 examples use. */
const SEED_BYTES = 20;
/** An enrolment not confirmed within this time is refused and must start again. */
export const ENROLMENT_LIFETIME_MS = 10 * 60 * 1000;
const DEFAULT_NAME = "Authenticator app";

export interface StartedTotpEnrolment {
  readonly factorId: string;
  /** Carries the seed: for this one reply only. */
  readonly otpauthUri: string;
  readonly qrCode: string;
  readonly manualKey: string;
  readonly issuer: string;
  readonly account: string;
  readonly expiresAt: number;
}

export interface OwnFactorService {
  /**
   * The user's confirmed authenticator apps, and every method sign-in asks them for (the verifier
   * registry's: apps, passkeys, push devices, recovery codes beside them), so that "on" means what
   * sign-in does.
   */
  listFactors(actor: Actor): Promise<{ factors: UserFactorRecord[]; methods: SecondFactorMethod[] }>;
  startTotpEnrolment(actor: Actor): Promise<StartedTotpEnrolment>;
  confirmTotpEnrolment(actor: Actor, factorId: string, code: string, name: string | undefined): Promise<UserFactorRecord>;
  renameFactor(actor: Actor, factorId: string, name: string): Promise<UserFactorRecord>;
  /** Ends the user's other sessions; this browser session gets a new id (answered for its cookie). */
  removeFactor(actor: Actor, factorId: string): Promise<RemovedFactor>;
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP". */
export const groupKey = (base32: string): string => base32.replace(/=+$/, "").match(/.{1,4}/g)?.join(" ") ?? "";

const cleanName = (name: string | undefined, fallback?: string): string => {
  const trimmed = (name ?? "").replace(/\p{Cc}/gu, "").trim().slice(0, 60);
  if (trimmed === "") {
    if (fallback !== undefined) return fallback;
    throw invalidInput(problem("factor_name_required"), "name");
  }
  return trimmed;
};

export function createOwnFactorService(deps: {
  store: Pick<Repositories, "userFactors">;
  keyring: Pick<Keyring, "seal" | "open">;
  auditLog: AuditLog;
  clock: Clock;
  reauthentication: Pick<ReauthenticationService, "requireRecent">;
  notices?: Pick<SecurityNotices, "sessionsEnded"> | undefined;
  secondFactors: Pick<SecondFactors, "methodsOf">;
}): OwnFactorService {
  const { store, keyring, auditLog, clock, reauthentication } = deps;
  const matcher = createTotpMatcher({ factors: store.userFactors, keyring, clock });
  const target = (actor: Actor) => ({ type: "user" as const, id: actor.userId, name: actor.username });

  async function ownFactor(actor: Actor, factorId: string, confirmed = true): Promise<UserFactorRecord> {
    const factor = await store.userFactors.findFactor(factorId);
    if (factor === undefined || factor.userId !== actor.userId || (factor.confirmedAt !== null) !== confirmed) {
      throw notFound(problem(confirmed ? "factor_not_found" : "enrolment_not_found"));
    }
    return factor;
  }

  return {
    async listFactors(actor) {
      const [factors, methods] = await Promise.all([store.userFactors.listFactorsOfUser(actor.userId), deps.secondFactors.methodsOf(actor.userId)]);
      return { factors: factors.filter((f) => f.confirmedAt !== null), methods };
    },

    async startTotpEnrolment(actor) {
      await reauthentication.requireRecent(actor);
      const now = clock.now();
      const id = randomUUID();
      const bytes = randomBytes(SEED_BYTES);
      const secret = Secret.fromBytes(bytes);
      bytes.fill(0);
      try {
        const otpauthUri = formatOtpauthUri({ otp: totpParameters(secret), issuer: TOTP_ISSUER, account: actor.username });
        const manualKey = groupKey(encodeBase32(secret.reveal()));
        const { default: QRCode } = await import("qrcode");
        const svg = await QRCode.toString(otpauthUri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
        const record: UserFactorRecord = {
          id,
          userId: actor.userId,
          kind: "totp",
          secretSealed: keyring.seal(secret, factorSecretBinding(id)),
          name: DEFAULT_NAME,
          createdAt: now,
          confirmedAt: null,
          lastUsedAt: null,
          lastStep: -1,
        };
        await auditLog.commit(actor, {
          work: async (tx) => {
            // One enrolment at a time: starting again replaces the one not confirmed.
            await tx.userFactors.deleteUnconfirmedFactorsOfUser(actor.userId, "totp");
            await tx.userFactors.insertFactor(record);
          },
          events: () => [{ action: "user.mfa_enrolment_started", target: target(actor), details: { factorId: id, kind: "totp" } }],
        });
        return {
          factorId: id,
          otpauthUri,
          qrCode: `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`,
          manualKey,
          issuer: TOTP_ISSUER,
          account: actor.username,
          expiresAt: now + ENROLMENT_LIFETIME_MS,
        };
      } finally {
        secret.destroy();
      }
    },

    async confirmTotpEnrolment(actor, factorId, code, name) {
      await reauthentication.requireRecent(actor);
      const normalised = normaliseOtpCode(code, TOTP_DIGITS);
      const factorName = cleanName(name, DEFAULT_NAME);
      const factor = await ownFactor(actor, factorId, false);
      if (clock.now() - factor.createdAt >= ENROLMENT_LIFETIME_MS) throw notFound(problem("enrolment_not_found"));
      const verdict = await matcher.match(factor, normalised, true);
      if (!verdict.ok) {
        await auditLog.commit(actor, { events: () => [{ action: "user.mfa_factor_added", outcome: "failure", reason: verdict.reason, target: target(actor), details: { factorId, kind: "totp" } }] });
        throw invalidInput(problem("enrolment_code_wrong"), "code");
      }
      return auditLog.commit(actor, {
        work: async (tx) => {
          await tx.userFactors.renameFactor(factorId, factorName);
          return (await tx.userFactors.findFactor(factorId))!;
        },
        events: () => [{ action: "user.mfa_factor_added", target: target(actor), details: { factorId, kind: "totp" } }],
      });
    },

    async renameFactor(actor, factorId, name) {
      const factorName = cleanName(name);
      await ownFactor(actor, factorId);
      return auditLog.commit(actor, {
        work: async (tx) => {
          await tx.userFactors.renameFactor(factorId, factorName);
          return (await tx.userFactors.findFactor(factorId))!;
        },
        events: () => [{ action: "user.mfa_factor_renamed", target: target(actor), details: { factorId } }],
      });
    },

    async removeFactor(actor, factorId) {
      await reauthentication.requireRecent(actor);
      const factor = await ownFactor(actor, factorId);
      const removed = await auditLog.commit(actor, {
        work: async (tx) => {
          await tx.userFactors.deleteFactor(factor.id);
          // ASVS 5.0 7.4.3: a factor change ends the other sessions (the CLI's bearer tokens too).
          return endOtherSessions(tx.sessions, actor, clock.now());
        },
        events: (ended) => [{ action: "user.mfa_factor_removed", target: target(actor), details: { factorId, kind: factor.kind, endedSessions: ended.endedSessions } }],
      });
      deps.notices?.sessionsEnded(actor.userId, "factor_removed", removed.endedSessions);
      return removed;
    },
  };
}
