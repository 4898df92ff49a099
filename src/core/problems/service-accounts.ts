// English sentences for service accounts and their API tokens: who may use a token for what, and
// why a token was refused. Keys are stable API codes; see otp.ts.
export const SERVICE_ACCOUNT_PROBLEMS = {
  service_account_forbidden: "An API token of a service account may only get codes, reveal a recovery code and list the entries it may use; this needs a person signed in.",
  service_account_disabled: 'The service account "{{name}}" is disabled: its tokens no longer work.',
  api_token_revoked: "This API token has been revoked.",
  api_token_expired: "This API token has expired.",
  api_token_address_refused: "This API token may not be used from {{address}}.",
  api_token_out_of_scope: "This API token's scope does not reach this entry.",
  api_token_permission_missing: 'This API token does not carry the "{{permission}}" permission.',
  service_account_not_granted: "The service account has no grant on this entry: an administrator must grant it first.",
  service_accounts_admin_only: "Only administrators manage service accounts and their tokens.",
  service_account_not_found: "There is no such service account.",
  api_token_not_found: "There is no such API token.",
  api_token_scope_empty: "Name at least one entry or folder the token may reach.",
  api_token_entry_unknown: "There is no entry with id {{id}}.",
  api_token_folder_unknown: "There is no folder with id {{id}}.",
  api_token_service_account_disabled: 'The service account "{{name}}" is disabled: enable it before creating tokens.',
} as const;
