// A user's own passkeys and security keys (WebAuthn): registering one (in sudo mode), listing,
// renaming and removing them (in sudo mode; it ends the user's other sessions). Registration
// challenges are bound to the session that asked; every change, and every refused registration,
// is audited. No event holds a key.
import { randomUUID } from "node:crypto";
import { generateRegistrationOptions, verifyRegistrationResponse, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from "@simplewebauthn/server";
import type { WebAuthnConfig } from "../config.js";
import type { Clock } from "../core/clock.js";
import { conflict, invalidInput, notFound, problem, unavailable, type WatchwordError } from "../core/errors.js";
import type { PasskeyRecord } from "../store/passkeys.js";
import type { Repositories } from "../store/store.js";
import type { Actor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import { consumeChallenge, failureOfLibraryError, PasskeyRefusal, storeChallenge, CHALLENGE_LIFETIME_MS, type AssertionFailure } from "./passkey-ceremonies.js";
import type { ReauthenticationService } from "./reauthentication.js";
import { endOtherSessions, type RemovedFactor } from "./sessions.js";
import type { SecurityNotices } from "./security-notices.js";

/** More would only make excludeCredentials long; a person has a few keys. */
export const MAX_PASSKEYS_PER_USER = 20;
export const MAX_PASSKEY_NAME = 64;

export interface PasskeyService {
  /** Needs sudo mode (reauthentication.ts). */
  registrationOptions(actor: Actor): Promise<PublicKeyCredentialCreationOptionsJSON>;
  register(actor: Actor, name: string, response: RegistrationResponseJSON): Promise<PasskeyRecord>;
  list(actor: Actor): Promise<PasskeyRecord[]>;
  rename(actor: Actor, id: string, name: string): Promise<PasskeyRecord>;
  /** Needs sudo mode; ends the user's other sessions, and this browser session gets a new id (answered for its cookie). */
  remove(actor: Actor, id: string): Promise<RemovedFactor>;
}

export type PasskeyDeps = {
  store: Pick<Repositories, "passkeys" | "users" | "signInFailures" | "sessions">;
  auditLog: AuditLog;
  clock: Clock;
  relyingParty: WebAuthnConfig | undefined;
  reauthentication: Pick<ReauthenticationService, "requireRecent">;
  /** Tells the user by mail that their other sessions ended (security-notices.ts). */
  notices?: Pick<SecurityNotices, "sessionsEnded"> | undefined;
};

export const PASSKEYS_NOT_CONFIGURED = problem("passkeys_not_configured");

export function requireRelyingParty(relyingParty: WebAuthnConfig | undefined): WebAuthnConfig {
  if (relyingParty === undefined) throw unavailable(PASSKEYS_NOT_CONFIGURED);
  return relyingParty;
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (name === "") throw invalidInput(problem("passkey_name_required"), "name");
  return name.slice(0, MAX_PASSKEY_NAME);
}

/** What the person is told; the audit event keeps the precise reason. */
const registrationError = (reason: AssertionFailure): WatchwordError =>
  invalidInput(reason === "challenge_invalid" ? problem("passkey_challenge_invalid") : reason === "response_invalid" ? problem("passkey_response_invalid") : problem("passkey_not_verified"));

export function createPasskeyService(deps: PasskeyDeps): PasskeyService {
  const { store, auditLog, clock } = deps;
  const targetOf = (actor: Actor) => ({ type: "user" as const, id: actor.userId, name: actor.username });
  const audit = (actor: Actor, action: string, facts: { outcome?: "failure" | "denied"; reason?: string; details?: Record<string, unknown> }) =>
    auditLog.commit(actor, { events: () => [{ action, target: targetOf(actor), ...facts }] });

  async function mine(actor: Actor, id: string): Promise<PasskeyRecord> {
    const found = (await store.passkeys.listPasskeysOfUser(actor.userId)).find((passkey) => passkey.id === id);
    if (found === undefined) throw notFound(problem("passkey_not_found"));
    return found;
  }

  return {
    async registrationOptions(actor) {
      const relyingParty = requireRelyingParty(deps.relyingParty);
      await deps.reauthentication.requireRecent(actor);
      const user = await store.users.findUserById(actor.userId);
      if (user === undefined) throw notFound(problem("user_id_not_found"));
      const existing = await store.passkeys.listPasskeysOfUser(actor.userId);
      if (existing.length >= MAX_PASSKEYS_PER_USER) throw conflict(problem("passkey_limit_reached", { limit: MAX_PASSKEYS_PER_USER }));
      const options = await generateRegistrationOptions({
        rpName: relyingParty.rpName,
        rpID: relyingParty.rpId,
        userName: user.username,
        userDisplayName: user.displayName,
        // The user handle is the user's id: a passkey sign-in's userHandle names whose key it is.
        userID: new TextEncoder().encode(user.id),
        attestationType: "none",
        timeout: CHALLENGE_LIFETIME_MS,
        excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: [...passkey.transports] })),
        authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
        // credProps tells whether the key made a discoverable credential (it can sign in alone).
        extensions: { credProps: true },
      });
      await storeChallenge(store.passkeys, clock, options.challenge, "registration", actor.sessionId, actor.userId);
      return options;
    },

    async register(actor, rawName, response) {
      const relyingParty = requireRelyingParty(deps.relyingParty);
      const name = checkName(rawName);
      let registered: PasskeyRecord;
      try {
        const challenge = await consumeChallenge(store.passkeys, clock, response.response.clientDataJSON, "registration", actor.sessionId);
        if (challenge.userId !== actor.userId) throw new PasskeyRefusal("challenge_invalid");
        let info;
        try {
          const result = await verifyRegistrationResponse({ response, expectedChallenge: challenge.challenge, expectedOrigin: relyingParty.origin, expectedRPID: relyingParty.rpId, requireUserVerification: false });
          if (!result.verified) throw new PasskeyRefusal("not_verified");
          info = result.registrationInfo;
        } catch (error) {
          throw error instanceof PasskeyRefusal ? error : new PasskeyRefusal(failureOfLibraryError(error));
        }
        const now = clock.now();
        registered = {
          id: randomUUID(),
          userId: actor.userId,
          credentialId: info.credential.id,
          publicKey: Buffer.from(info.credential.publicKey),
          counter: info.credential.counter,
          transports: (response.response.transports ?? []).slice(0, 8),
          name,
          deviceType: info.credentialDeviceType,
          isBackedUp: info.credentialBackedUp,
          isDiscoverable: response.clientExtensionResults.credProps?.rk === true,
          createdAt: now,
          lastUsedAt: null,
        };
      } catch (error) {
        if (!(error instanceof PasskeyRefusal)) throw error;
        await audit(actor, "user.passkey_added", { outcome: "failure", reason: error.reason });
        throw registrationError(error.reason);
      }
      if ((await store.passkeys.findPasskeyByCredentialId(registered.credentialId)) !== undefined) {
        await audit(actor, "user.passkey_added", { outcome: "failure", reason: "already_registered" });
        throw conflict(problem("passkey_already_registered"));
      }
      if ((await store.passkeys.countPasskeysOfUser(actor.userId)) >= MAX_PASSKEYS_PER_USER) throw conflict(problem("passkey_limit_reached", { limit: MAX_PASSKEYS_PER_USER }));
      return auditLog.commit(actor, {
        work: async (tx) => {
          await tx.passkeys.insertPasskey(registered);
          return registered;
        },
        events: () => [{ action: "user.passkey_added", target: targetOf(actor), details: { passkeyId: registered.id, name: registered.name, deviceType: registered.deviceType, isDiscoverable: registered.isDiscoverable } }],
      });
    },

    list: (actor) => store.passkeys.listPasskeysOfUser(actor.userId),

    async rename(actor, id, rawName) {
      const name = checkName(rawName);
      const before = await mine(actor, id);
      return auditLog.commit(actor, {
        work: async (tx) => {
          if (!(await tx.passkeys.renamePasskey(actor.userId, id, name))) throw notFound(problem("passkey_not_found"));
          return { ...before, name };
        },
        events: () => [{ action: "user.passkey_renamed", target: targetOf(actor), details: { passkeyId: id, from: before.name, to: name } }],
      });
    },

    async remove(actor, id) {
      await deps.reauthentication.requireRecent(actor);
      const before = await mine(actor, id);
      const removed = await auditLog.commit(actor, {
        work: async (tx) => {
          if (!(await tx.passkeys.deletePasskey(actor.userId, id))) throw notFound(problem("passkey_not_found"));
          // ASVS 5.0 7.4.3: removing a factor ends the other sessions (the CLI's bearer tokens too).
          return endOtherSessions(tx.sessions, actor, clock.now());
        },
        events: (ended) => [{ action: "user.passkey_removed", target: targetOf(actor), details: { passkeyId: id, name: before.name, endedSessions: ended.endedSessions } }],
      });
      deps.notices?.sessionsEnded(actor.userId, "passkey_removed", removed.endedSessions);
      return removed;
    },
  };
}
