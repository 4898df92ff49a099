// English sentences for problems of the import parsers (src/core/intake/): files of no supported
// format, damaged or encrypted exports, key-derivation work beyond the caps, and entries whose
// fields cannot be read. {{format}} is an app's own name (Aegis, 2FAS…), never a translated word.
// Sizes given as {{size}} are already written with their unit.
const SUPPORTED =
  "Aegis, 2FAS, Bitwarden (.json or .csv), andOTP, FreeOTP+, KeePass (.kdbx), Steam Guard (.maFile or the Steam app's file), a Google Authenticator transfer (otpauth-migration://) or database, Authy's token files, FreeOTP (tokens.xml or an encrypted backup), Microsoft Authenticator's database, Duo Mobile's accounts.json, Proton Authenticator, Battle.net's authenticator preferences, Stratum (a backup or the app's database), TOTP Authenticator (a backup or the app's preferences file), Authenticator Plus (.zip), or a list of otpauth:// links";

export const INTAKE_PROBLEMS = {
  // The file as a whole (import-file.ts, import-source.ts).
  import_file_not_bytes: "The file must be bytes.",
  import_file_empty: "The file is empty.",
  import_file_too_large: "The file is larger than {{size}}, the most that can be imported at once.",
  import_format_unknown: "The format must be auto or one of {{formats}}.",
  import_limit_invalid: "The import limit {{name}} must be a whole number of at least 1.",
  import_unsupported: `This file is not a supported export. Watchword imports ${SUPPORTED}.` as const,
  import_unsupported_image: `This file is not a supported export (it is a {{kind}} image: add it as a QR code instead). Watchword imports ${SUPPORTED}.` as const,
  import_unsupported_archive_of: `This file is not a supported export (it is a {{kind}} archive: extract the export from it first). Watchword imports ${SUPPORTED}.` as const,
  import_unsupported_archive: `This file is not a supported export (it is an archive: extract the export from it first). Watchword imports ${SUPPORTED}.` as const,
  import_unsupported_pdf: `This file is not a supported export (it is a PDF document). Watchword imports ${SUPPORTED}.` as const,
  import_unsupported_tiff: `This file is not a supported export (it is a TIFF image: save the QR code as PNG or JPEG and add it as a QR code). Watchword imports ${SUPPORTED}.` as const,
  import_unsupported_links: `This file is not a supported export (it holds otpauth links, but each line must start with otpauth:// or otpauth-migration://). Watchword imports ${SUPPORTED}.` as const,
  import_not_text: "This file is not text, so it is not a {{format}} export.",
  import_json_too_deep: "This file nests data more than {{max}} levels deep, which no supported export does.",
  import_json_invalid: "This file looks like JSON but is not valid JSON; it may be damaged or cut short.",
  import_csv_unterminated: "This CSV file ends inside a quoted field; it may be cut short.",
  import_app_database_needs_server: "This file is an app's SQLite database; it can be imported only through the server.",
  import_too_many_entries: "This file holds more than {{max, number}} entries; import at most that many at once.",
  import_issuer_too_long: "The issuer is longer than {{max}} characters.",
  import_account_too_long: "The account name is longer than {{max}} characters.",
  import_folder_too_long: "The folder is longer than {{max}} characters.",
  import_username_too_long: "The username is longer than {{max}} characters.",
  import_tag_too_long: "The tag is longer than {{max}} characters.",
  import_url_too_long: "The URL is longer than {{max, number}} characters.",
  import_notes_too_long: "The notes are longer than {{max, number}} characters.",

  // Encrypted exports (export-crypto.ts and the formats that use it).
  import_password_wrong: "The password is wrong, or the file is damaged.",
  import_password_required: "This {{format}} file is encrypted: give its password.",
  import_kdf_scrypt_n: "This {{format}} file asks for scrypt with N = {{n}} (at most 2^20), more key-derivation work than Watchword allows; it cannot be imported.",
  import_kdf_scrypt_rp: "This {{format}} file asks for scrypt with r × p = {{value}} (at most {{max}}), more key-derivation work than Watchword allows; it cannot be imported.",
  import_kdf_scrypt_work: "This {{format}} file asks for scrypt with N × r × p = {{value}} (at most 2^23), more key-derivation work than Watchword allows; it cannot be imported.",
  import_kdf_pbkdf2_iterations:
    "This {{format}} file asks for {{value, number}} PBKDF2 iterations (at most {{max, number}}), more key-derivation work than Watchword allows; it cannot be imported.",
  import_kdf_pbkdf2_total:
    "This {{format}} file asks for {{value, number}} PBKDF2 iterations in all, {{each, number}} per sealed account (at most {{max, number}}), more key-derivation work than Watchword allows; it cannot be imported.",
  import_kdf_argon2_memory: "This {{format}} file asks for Argon2 with {{value}} MiB of memory (at most {{max}} MiB), more key-derivation work than Watchword allows; it cannot be imported.",
  import_kdf_argon2_passes: "This {{format}} file asks for Argon2 with {{value}} passes (at most {{max}}), more key-derivation work than Watchword allows; it cannot be imported.",
  import_kdf_argon2_lanes: "This {{format}} file asks for Argon2 with {{value}} lanes (at most {{max}}), more key-derivation work than Watchword allows; it cannot be imported.",
  import_kdf_argon2_work:
    "This {{format}} file asks for Argon2 with {{memory}} MiB × {{passes}} passes (at most {{max}} MiB in all), more key-derivation work than Watchword allows; it cannot be imported.",
  import_kdf_aes_rounds: "This {{format}} file asks for {{value, number}} AES-KDF rounds (at most {{max, number}}), more key-derivation work than Watchword allows; it cannot be imported.",
  import_scrypt_invalid: "This {{format}} file has invalid scrypt parameters (N must be a power of two, r and p positive).",
  import_scrypt_unusable: "This {{format}} file's scrypt parameters could not be used.",
  import_pbkdf2_iterations_invalid: "This {{format}} file declares an invalid number of key-derivation iterations.",
  import_kdf_unusable: "This {{format}} file's key-derivation parameters could not be used.",
  import_argon2_length_invalid: "This {{format}} file asks for an Argon2 key of an invalid length.",
  import_argon2_unusable: "This {{format}} file's Argon2 parameters could not be used.",
  import_argon2_invalid: "This {{format}} file has invalid Argon2 parameters.",

  // Shapes shared by several formats.
  import_entry_no_otp: "The entry has no OTP information.",
  import_secret_missing: "The secret is missing.",
  import_otp_type_unsupported: "The OTP type is {{value}}; Watchword imports TOTP, HOTP and Steam seeds.",
  import_algorithm_unsupported: "The algorithm is {{value}}; expected SHA1, SHA256 or SHA512.",

  // Aegis, andOTP, 2FAS, Bitwarden, Duo, FreeOTP+, Proton, Steam Guard.
  import_aegis_not_export: "This file is not an Aegis export.",
  import_aegis_no_entries: "This Aegis file has no entry list.",
  import_aegis_device_only: "This Aegis file can only be unlocked on its phone (fingerprint or device key); export it again with a password.",
  import_aegis_too_many_slots: "This Aegis file has more than {{max}} password slots, which Aegis never writes.",
  import_aegis_header_damaged: "This Aegis file is damaged: its encryption header is unreadable.",
  import_aegis_slot_damaged: "This Aegis file is damaged: a password slot is unreadable.",
  import_andotp_not_backup: "This file is not an andOTP backup.",
  import_andotp_maybe_old:
    "This file is not text and has no signature Watchword knows. If it is an andOTP backup encrypted the old way, give its password; otherwise it is not a supported export.",
  import_two_fas_not_backup: "This file is not a 2FAS backup.",
  import_two_fas_no_services: "This 2FAS file has no service list.",
  import_two_fas_sealed_damaged: "This 2FAS file is damaged: its encrypted service list is unreadable.",
  import_two_fas_list_damaged: "This 2FAS file is damaged: its decrypted service list is not a list.",
  import_bitwarden_not_export: "This file is not a Bitwarden export.",
  import_bitwarden_csv_no_totp: "This file is not a Bitwarden export (no login_totp column).",
  import_duo_not_accounts: "This file is not Duo Mobile's account list.",
  import_freeotp_plus_not_backup: "This file is not a FreeOTP+ backup.",
  import_secret_list_missing: "The secret is missing; expected a list of bytes.",
  import_secret_list_too_long: "The secret is longer than {{max}} bytes.",
  import_secret_list_not_bytes: "The secret holds something other than bytes (whole numbers from -128 to 255).",
  import_proton_not_export: "This file is not a Proton Authenticator export.",
  import_entry_no_link: "The entry has no otpauth:// link.",
  import_steam_no_account: "This file holds no Steam Guard account (an object with a shared_secret).",
  import_steam_secret_missing: "The shared_secret is missing.",
  import_steam_secret_not_base64: "The shared_secret is not base64.",
} as const;
