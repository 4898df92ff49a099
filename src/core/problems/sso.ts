// English sentences for single sign-on through an OpenID Connect provider: its configuration, and
// why a sign-in through it did not finish. The sign-in page says the sso_* keys in the reader's
// language; none of them names a token, a code or the client secret.
export const SSO_PROBLEMS = {
  sso_not_configured: "Single sign-on is not set up on this server.",
  sso_flow_invalid: "This sign-in link was already used or does not belong to this browser. Start again with the single sign-on button.",
  sso_flow_expired: "The sign-in took too long and has expired. Start again with the single sign-on button.",
  sso_access_denied: "The identity provider did not let you sign in (you cancelled, or it refused). Try again, or ask an administrator.",
  sso_provider_error: "The identity provider reported an error ({{error}}). Try again later, or ask an administrator.",
  sso_response_invalid: "The identity provider's answer could not be verified, so you were not signed in. Start again; if it keeps happening, tell an administrator.",
  sso_provider_unreachable: "The identity provider cannot be reached right now. Try again later.",
  sso_claims_missing: "The identity provider did not say who you are (no usable user name or e-mail address). Ask an administrator.",
  sso_user_disabled: "Your Watchword account is disabled. Ask an administrator.",
  sso_required: "Accounts with an e-mail address at {{domain}} sign in with {{label}}, not with a password.",

  config_oidc_incomplete: "Single sign-on needs WATCHWORD_OIDC_ISSUER, WATCHWORD_OIDC_CLIENT_ID and WATCHWORD_OIDC_CLIENT_SECRET together: {{missing}} is not set.",
  config_oidc_issuer_invalid: "WATCHWORD_OIDC_ISSUER must be an https:// address (http:// only on this machine: localhost, 127.0.0.1, [::1]).",
  config_oidc_redirect_missing: "Single sign-on needs WATCHWORD_OIDC_REDIRECT_URL or WATCHWORD_PUBLIC_URL: the address the identity provider sends people back to.",
  config_oidc_redirect_invalid: "WATCHWORD_OIDC_REDIRECT_URL must be an http:// or https:// address ending in /api/v1/auth/sso/callback.",
  config_oidc_scopes_invalid: "WATCHWORD_OIDC_SCOPES must be scopes separated by spaces, including openid.",
  config_oidc_claim_invalid: "WATCHWORD_OIDC_GROUPS_CLAIM must be a claim name such as groups.",
  config_oidc_map_invalid: '{{name}} must be a comma-separated list of provider-group=value pairs; "{{item}}" is not one.',
  config_oidc_role_invalid: 'WATCHWORD_OIDC_ROLE_MAP gives "{{role}}": a role is admin, member or auditor.',
  config_oidc_domains_invalid: 'WATCHWORD_OIDC_SSO_ONLY_DOMAINS must be domain names separated by commas; "{{item}}" is not one.',
  config_oidc_domains_without_issuer: "WATCHWORD_OIDC_SSO_ONLY_DOMAINS is set but single sign-on is not: set WATCHWORD_OIDC_ISSUER too.",
  config_oidc_label_invalid: "WATCHWORD_OIDC_LABEL must be 1 to 40 characters.",
} as const;
