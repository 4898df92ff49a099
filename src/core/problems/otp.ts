// English sentences for problems with seeds, setup keys, otpauth:// links and OTP parameters.
// Keys are stable API codes; {{name}} marks a parameter, and { one, other } a sentence whose
// form follows {{count}}. Translations live in web/src/i18n/*.json under "problems".
export const OTP_PROBLEMS = {
  otp_parameters_not_object: "The OTP parameters must be an object.",
  otp_type_invalid: "The type is {{value}}; expected totp, hotp or steam.",
  otp_algorithm_invalid: "The algorithm is {{value}}; expected SHA1, SHA256 or SHA512.",
  otp_steam_algorithm: "The algorithm is {{value}}, but Steam Guard codes use SHA1; expected SHA1.",
  otp_steam_digits: "The number of digits is {{value}}, but Steam Guard codes have {{expected}} characters; expected {{expected}}.",
  otp_digits_invalid: "The number of digits is {{value}}; expected a whole number from {{min}} to {{max}}.",
  otp_digits_steam_hint:
    "The number of digits is {{value}}; expected a whole number from {{min}} to {{max}} (5-character codes are Steam Guard's: choose the type steam).",
  otp_period_invalid: "The period is {{value}}; expected a whole number of seconds from 1 to {{max, number}}.",
  otp_counter_invalid: "The counter is {{value}}; expected a whole number from 0 to {{max}}.",
  otp_counter_not_hotp: "The counter is {{value}}, but only HOTP seeds count codes; expected 0 for a {{type}} seed.",
  otp_secret_missing: "The secret is missing; expected the seed's bytes.",
  otp_secret_empty: "The secret is empty; expected at least one byte.",
  otp_secret_too_long: "The secret is {{length}} bytes long; expected at most {{max}} bytes.",
  otp_steam_not_counted: "The type is steam, whose codes follow the time; expected hotp or totp.",
  otp_hotp_not_timed: "The type is hotp, which counts codes instead of timing them; expected totp or steam.",
  otp_time_invalid: "The time must be a number of milliseconds from 1970-01-01 onwards (RFC 6238 §4.2's T0).",
  otp_period_not_whole: "The period is {{value}}; expected a whole number of seconds from 1.",

  base32_bad_character: "The secret contains {{character}}, which is not a base32 character (A–Z and 2–7).",
  base32_padding_inside: "The secret has '=' padding before its end; '=' may only appear at the end of a base32 key.",
  base32_empty: "The secret is empty; expected a base32 key (A–Z and 2–7).",
  base32_single_character: "The secret is a single base32 character, which holds no whole byte; expected a longer key.",

  link_not_text: "The link must be text starting with otpauth://.",
  link_too_long: "The link is {{length, number}} characters long; expected at most {{max, number}}.",
  link_is_migration: "This is a Google Authenticator export (otpauth-migration://), which can hold several seeds; import it as an export instead.",
  link_bad_scheme: "The link must start with otpauth:// (Key URI Format) or steam://, as in otpauth://totp/Issuer:account?secret=….",
  link_encoder_invalid: "The encoder is {{value}}; expected steam, or no encoder parameter.",
  link_hotp_steam: "The link is a HOTP link with encoder=steam; Steam Guard codes follow the time, so expected otpauth://totp/.",
  link_type_invalid: "The link's type is {{value}}; expected totp or hotp, as in otpauth://totp/.",
  link_secret_missing: "The link has no secret parameter; expected secret= followed by the base32 key.",
  link_parameter_repeated: "The link gives the {{name}} parameter twice with different values; expected it once.",
  link_digits_not_number: "The number of digits is {{value}}; expected a whole number.",
  link_period_not_number: "The period is {{value}}; expected a whole number.",
  link_counter_not_number: "The counter is {{value}}; expected a whole number.",
  link_counter_missing: "The link is a HOTP link without a counter parameter; expected counter= followed by a whole number from 0.",
  setup_key_not_text: "The setup key must be text made of base32 characters (A–Z and 2–7).",
  setup_key_too_long: "The setup key is {{length, number}} characters long; expected at most {{max, number}}.",
  setup_key_is_link: "The setup key is a link; add it as an otpauth:// link instead, or enter only the base32 key.",

  // Warnings: the seed was accepted, but the person should know.
  seed_weak: "The secret is {{bits}} bits long, shorter than the 128 bits RFC 4226 requires; it is accepted because some services issue such keys, but it is weaker than it should be.",
  seed_dangling_character:
    "The secret ends with a base32 character that completes no byte; it was ignored, as authenticator apps do. Check that the key was copied whole.",
  link_issuer_mismatch: 'The link\'s label names the issuer "{{labelIssuer}}" but its issuer parameter says "{{parameterIssuer}}"; the parameter was kept.',
} as const;
