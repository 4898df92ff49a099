// API tokens of service accounts: making one (shown once, stored only as its SHA-256) and finding
// the service account behind one a request presents. Whether the token still works (revoked,
// expired, disabled account, address, scope) is decided by core/policy.ts, asked by access.ts.
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import type { ApiTokenStore } from "../store/api-tokens.js";
import { tokenFactsOf } from "../store/api-tokens.js";
import type { RequestOrigin, ServiceAccountActor } from "./actor.js";
import type { AuditLog } from "./audit-log.js";
import { SESSION_TOKEN_PREFIX } from "./sessions.js";

/** Every API token starts so (secret scanners recognise it); session tokens start with ww_s_. */
export const API_TOKEN_PREFIX = "ww_";
/** 256 random bits, base64url: 43 characters after the prefix. */
const TOKEN_BYTES = 32;
const MAX_TOKEN_LENGTH = 100;
/** Last use (time and address) is written at most this often per token, or when the address changes: not on every request. */
export const LAST_USE_INTERVAL_MS = 60 * 1000;

export const hashApiToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** A new token: `ww_` and 256 random bits, never starting like a session token. */
export function newApiToken(): string {
  for (;;) {
    const token = API_TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString("base64url");
    if (!token.startsWith(SESSION_TOKEN_PREFIX)) return token;
  }
}

/** A bearer token that is not a session's: an API token, or nothing Watchword issued. */
export const isApiTokenShaped = (token: string): boolean => token.startsWith(API_TOKEN_PREFIX) && !token.startsWith(SESSION_TOKEN_PREFIX);

export interface ApiTokenAuthenticator {
  /**
   * The service account behind the token, revoked, expired or disabled too (policy refuses those
   * by key), or undefined when no such token exists. Records the token's last use, throttled.
   */
  authenticate(token: string, origin: RequestOrigin): Promise<ServiceAccountActor | undefined>;
}

/**
 * `auditLog`: a token's first use, and each use from an address it was not last used from, is
 * audited as api_token.used. Not every use: each code a token takes is its own code.issued event
 * already, carrying the token's id (details.apiTokenId), and a refused use is a denied event.
 */
export function createApiTokenAuthenticator(deps: { apiTokens: Pick<ApiTokenStore, "findTokenByHash" | "recordTokenUse">; clock: Clock; auditLog?: AuditLog }): ApiTokenAuthenticator {
  const { apiTokens, clock, auditLog } = deps;
  return {
    async authenticate(token, origin) {
      // The same work for every token presented: one hash, one look-up by hash (a unique index),
      // whether it is well formed, unknown or real, so timing tells nothing about which.
      const tokenHash = hashApiToken(token.length > MAX_TOKEN_LENGTH ? "" : token);
      const found = await apiTokens.findTokenByHash(tokenHash);
      if (found === undefined || token.length > MAX_TOKEN_LENGTH || !isApiTokenShaped(token)) return undefined;
      const now = clock.now();
      const { lastUsedAt, lastUsedIp } = found.token;
      const ip = origin.ip.slice(0, 64);
      if (lastUsedAt === null || now - lastUsedAt >= LAST_USE_INTERVAL_MS || lastUsedIp !== ip) await apiTokens.recordTokenUse(found.token.id, now, ip);
      const actor: ServiceAccountActor = {
        kind: "service_account",
        serviceAccountId: found.serviceAccount.id,
        name: found.serviceAccount.name,
        isDisabled: found.serviceAccount.disabledAt !== null,
        token: tokenFactsOf(found.token),
        origin,
      };
      // A revoked or expired token, or a disabled account's, is refused by policy and audited as that denial instead.
      const isLive = found.token.revokedAt === null && (found.token.expiresAt === null || found.token.expiresAt > now) && found.serviceAccount.disabledAt === null;
      if (auditLog !== undefined && isLive && (lastUsedAt === null || lastUsedIp !== ip)) {
        const target = { type: "api_token" as const, id: found.token.id, name: found.token.label };
        await auditLog.commit(actor, { events: () => [{ action: "api_token.used", target, details: { firstUse: lastUsedAt === null, previousAddress: lastUsedIp } }] });
      }
      return actor;
    },
  };
}
