// Watchword as an OpenID Connect relying party, through openid-client: the provider's metadata
// (discovered once, again after a failure), the authorization URL, and the code exchange with
// its checks (state, PKCE, nonce, issuer, ID token signature). The only module that imports
// openid-client; what fails is told as one of a few reasons, never with a token in it.
import * as oidc from "openid-client";
import type { OidcConfig } from "../config-oidc.js";

export type RelyingPartyFailureReason = "unreachable" | "access_denied" | "provider_error" | "invalid_response";

/** Why talking to the provider failed; `detail` is the provider's error code or a check's code, for the audit log. */
export class RelyingPartyFailure extends Error {
  constructor(
    readonly reason: RelyingPartyFailureReason,
    readonly detail: string,
  ) {
    super(`OpenID Connect: ${reason} (${detail})`);
    this.name = "RelyingPartyFailure";
  }
}

export interface AuthorizationChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export interface RelyingParty {
  /** Where to send the browser: the provider's authorization endpoint with PKCE (S256), state and nonce. */
  authorizationUrl(checks: AuthorizationChecks): Promise<URL>;
  /**
   * Checks the callback (RFC 9207 `iss`, state), exchanges the code with the PKCE verifier, verifies
   * the ID token (signature, issuer, audience, nonce) and returns its claims merged with userinfo's.
   */
  exchangeCode(callbackQuery: URLSearchParams, checks: AuthorizationChecks): Promise<Readonly<Record<string, unknown>>>;
}

export const newAuthorizationChecks = (): AuthorizationChecks => ({ state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() });

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET"]);

/** True when the error, or one it was caused by, is the network's: nothing answered. */
function isNetworkFailure(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 6; depth++) {
    if (cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError" || (cause instanceof TypeError && cause.message === "fetch failed"))) return true;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** A provider's error code as it may be recorded: short, and only the characters RFC 6749 §4.1.2.1 allows. */
const errorCodeOf = (value: unknown): string => (typeof value === "string" && /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(value) ? value : "unknown");

function failureOf(error: unknown): RelyingPartyFailure {
  if (error instanceof RelyingPartyFailure) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    const code = errorCodeOf(error.error);
    return new RelyingPartyFailure(code === "access_denied" || code === "login_required" || code === "consent_required" ? "access_denied" : "provider_error", code);
  }
  if (error instanceof oidc.ResponseBodyError) return new RelyingPartyFailure("provider_error", errorCodeOf(error.error));
  if (isNetworkFailure(error)) return new RelyingPartyFailure("unreachable", "network");
  const code = (error as { code?: unknown }).code;
  return new RelyingPartyFailure("invalid_response", typeof code === "string" ? code.slice(0, 64) : "unknown");
}

export function createRelyingParty(config: OidcConfig): RelyingParty {
  const issuer = new URL(config.issuer);
  let discovered: Promise<oidc.Configuration> | undefined;

  /** The provider's configuration, discovered on first use; a failed discovery is tried again next time. */
  function configuration(): Promise<oidc.Configuration> {
    discovered ??= oidc
      .discovery(issuer, config.clientId, { redirect_uris: [config.redirectUrl], response_types: ["code"] }, oidc.ClientSecretBasic(config.clientSecret.revealUtf8()), {
        timeout: 10,
        // http is accepted for a provider on this machine only (config-oidc.ts refuses it elsewhere).
        ...(issuer.protocol === "http:" ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw failureOf(error);
      });
    return discovered;
  }

  return {
    async authorizationUrl(checks) {
      const client = await configuration();
      return oidc.buildAuthorizationUrl(client, {
        redirect_uri: config.redirectUrl,
        scope: config.scopes,
        response_type: "code",
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: "S256",
      });
    },

    async exchangeCode(callbackQuery, checks) {
      const client = await configuration();
      // The URL the provider sent the browser to, as configured: behind a proxy the request's own host may differ.
      const current = new URL(config.redirectUrl);
      current.search = callbackQuery.toString();
      try {
        const tokens = await oidc.authorizationCodeGrant(client, current, { pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true });
        const claims = tokens.claims();
        if (claims === undefined) throw new RelyingPartyFailure("invalid_response", "no_id_token");
        // Providers put groups and e-mail in the ID token or in userinfo only; the ID token's say wins.
        const userinfo = client.serverMetadata().userinfo_endpoint === undefined ? {} : await oidc.fetchUserInfo(client, tokens.access_token, claims.sub);
        return { ...userinfo, ...claims };
      } catch (error) {
        throw failureOf(error);
      }
    },
  };
}
