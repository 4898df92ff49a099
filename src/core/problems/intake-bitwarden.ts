// English sentences for problems of Bitwarden's encrypted JSON exports (core/intake/bitwarden.ts):
// the account-restricted kind Watchword cannot open, and password-protected files that are damaged
// or name a cipher or key derivation Bitwarden does not write. {{field}} is the export's JSON member.
export const INTAKE_BITWARDEN_PROBLEMS = {
  import_bitwarden_account_restricted:
    'This Bitwarden export is "account restricted": it is encrypted with your Bitwarden account\'s key, which only Bitwarden can open. Export the vault again with the file type "Password protected" (or as unencrypted .json or .csv).',
  import_bitwarden_encrypted_damaged: "This Bitwarden export is damaged: its {{field}} field is missing or unreadable.",
  import_bitwarden_cipher_unsupported:
    "This Bitwarden export's {{field}} field is encrypted with type {{value}}; Watchword reads only type 2 (AES-256-CBC with HMAC-SHA256), which Bitwarden writes.",
  import_bitwarden_kdf_unknown:
    "This Bitwarden export names a key-derivation function Watchword does not know (Bitwarden writes kdfType 0 for PBKDF2-SHA256 and 1 for Argon2id).",
} as const;
