// English sentences for problems with the vault's keys and sealed values. Most stop a start (the
// operator reads them); the others end a request with 500 and mean stored data is damaged.
export const KEY_PROBLEMS = {
  key_file_unreadable: "Watchword cannot read {{source}} ({{reason}}).",
  key_file_not_key: "The content of {{source}} is not {{expected}}.",
  key_file_exists: "The key file {{path}} already exists; Watchword never overwrites a key.",
  key_file_not_created: "Watchword cannot create {{source}} ({{reason}}).",
  key_variable_not_key: "{{variable}} is set but its value is not {{expected}}.",
  key_variable_not_created: "Watchword cannot create a key in {{variable}}; set it to {{expected}}.",
  key_missing_for_data:
    "The key is missing ({{source}}), but the database already holds data sealed under it; restore that key, because Watchword will not create a new one over existing data.",
  data_key_version_invalid: "The database holds a data key with an invalid or repeated version ({{version}}).",
  data_key_damaged:
    "Data key version {{version}} in the database cannot be unwrapped by {{source}} although its key id {{kekId}} matches, so the stored data key is damaged.",
  key_mismatch:
    "The key from {{source}} does not match the data: the data keys were wrapped by key id {{storedKekId}}, but this key's id is {{kekId}}, so Watchword changed nothing.",
  data_key_wrong_length: "Data key version {{version}} does not hold a {{bytes}}-byte key.",
  data_key_unknown: "The value was sealed under data key version {{version}}, which this vault does not hold.",
  keyring_destroyed: "The keyring was destroyed and can no longer seal or open.",
  seal_binding_missing: "A sealed field needs a non-empty record id and field name to bind to.",
  key_version_invalid: "A key version must be an integer from 1 to {{max}}.",
  key_wrong_length: "An AES-256-GCM key must be {{bytes}} bytes, not {{length}}.",
  sealed_version_mismatch: "The value was sealed under key version {{sealedVersion}}, not version {{keyVersion}}.",
  sealed_format_unknown: "The sealed value uses format version {{version}}, which this version of Watchword does not know.",
  sealed_algorithm_unknown: "The sealed value uses algorithm {{algorithm}}, which this version of Watchword does not know.",
  sealed_authentication_failed:
    "The sealed value failed authentication: it was altered, moved to another record or field, or sealed under a different key.",
  sealed_truncated: "The sealed value is truncated: it has {{length}} bytes, fewer than the {{min}} a sealed value always has.",
  sealed_key_version_zero: "The sealed value names key version 0, which is never used.",
} as const;
