// First-run setup: a one-time link (token in the URL fragment, stored hashed) that lets the
// first administrator be created. After that the link answers "already set up".
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { conflict, notFound, problem } from "../core/errors.js";
import type { Repositories } from "../store/store.js";
import { prepareUser, type NewUserInput } from "./accounts.js";
import { recordOfNewUser, type UserRecord } from "../store/users.js";
import type { UserId } from "../core/ids.js";
import type { RequestOrigin } from "./actor.js";
import type { AuditLog } from "./audit-log.js";

export const SETUP_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;
const ALREADY_SET_UP = problem("setup_already_done");
const LINK_NOT_VALID = problem("setup_link_invalid");

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export const setupLinkOf = (baseUrl: string, token: string): string => `${baseUrl.replace(/\/+$/, "")}/setup#token=${token}`;

export interface SetupService {
  /** A fresh setup token while no user exists, otherwise undefined. */
  createSetupTokenIfNeeded(): Promise<string | undefined>;
  checkSetupToken(token: string): Promise<void>;
  /** With `origin` (a request's), audited as vault.set_up by the new administrator. */
  completeSetup(token: string, admin: Omit<NewUserInput, "role">, origin?: RequestOrigin): Promise<UserRecord>;
}

export function createSetupService(deps: {
  repositories: Pick<Repositories, "users" | "setupTokens">;
  transaction: <T>(work: (tx: Pick<Repositories, "users" | "setupTokens">) => Promise<T>) => Promise<T>;
  clock: Clock;
  auditLog?: AuditLog;
}): SetupService {
  const { repositories, transaction, clock, auditLog } = deps;

  async function explainUnusable(token: string): Promise<never> {
    if ((await repositories.users.countUsers()) > 0) throw conflict(ALREADY_SET_UP);
    const state = await repositories.setupTokens.readSetupToken(hashToken(token), clock.now());
    throw state === "used" ? conflict(ALREADY_SET_UP) : notFound(LINK_NOT_VALID);
  }

  return {
    async createSetupTokenIfNeeded() {
      if ((await repositories.users.countUsers()) > 0) return undefined;
      const token = randomBytes(32).toString("base64url");
      const now = clock.now();
      await repositories.setupTokens.insertSetupToken(hashToken(token), now, now + SETUP_LINK_LIFETIME_MS);
      return token;
    },
    async checkSetupToken(token) {
      const state = await repositories.setupTokens.readSetupToken(hashToken(token), clock.now());
      if (state !== "valid" || (await repositories.users.countUsers()) > 0) await explainUnusable(token);
    },
    async completeSetup(token, admin, origin) {
      const now = clock.now();
      // Validate and hash before the transaction: a bad password leaves the link usable, and the
      // slow argon2 hash does not hold the database's write lock.
      const user = await prepareUser({ ...admin, role: "admin" }, now);
      // Consuming the token, checking that no user exists and creating the administrator are one
      // transaction: two browsers racing on one link create one administrator.
      const created = await transaction(async (tx) => {
        if ((await tx.users.countUsers()) > 0) return undefined;
        if (!(await tx.setupTokens.consumeSetupToken(hashToken(token), now))) return undefined;
        await tx.users.insertUser(user);
        return recordOfNewUser(user);
      });
      if (created === undefined) return explainUnusable(token);
      if (auditLog !== undefined && origin !== undefined) {
        const target = { type: "user" as const, id: created.id, name: created.username };
        await auditLog.commit({ kind: "user", userId: created.id as UserId, username: created.username, origin }, { events: () => [{ action: "vault.set_up", target, details: { role: created.role } }] });
      }
      return created;
    },
  };
}
