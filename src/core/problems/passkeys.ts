// English sentences for problems with passkeys and security keys (WebAuthn): registering one,
// signing in with one, and the configuration they need. Keys are stable API codes (see otp.ts).
export const PASSKEY_PROBLEMS = {
  config_webauthn_needs_public_url: "WATCHWORD_WEBAUTHN_RP_ID needs WATCHWORD_PUBLIC_URL, the address people sign in at.",
  config_webauthn_rp_id_invalid: "WATCHWORD_WEBAUTHN_RP_ID must be {{host}} or a domain it belongs to (not an IP address).",
  passkeys_not_configured: "Passkeys need WATCHWORD_PUBLIC_URL set to the address people sign in at, with a domain name rather than an IP address.",
  passkey_challenge_invalid: "This passkey request has expired or was already used. Try again.",
  passkey_not_verified: "The passkey's answer could not be verified. Try again.",
  passkey_sign_in_failed: "Signing in with this passkey did not work. Try again, or sign in with your password.",
  passkey_counter_went_back: "This security key's signature counter went backwards, which a cloned key would do: the key was refused.",
  passkey_not_found: "No passkey with this id exists.",
  passkey_already_registered: "This passkey is registered already.",
  passkey_name_required: "Give the passkey a name.",
  passkey_limit_reached: "An account may have at most {{limit}} passkeys: remove one first.",
  passkey_response_invalid: "The passkey's answer is not in the expected form.",
  passkey_reauthentication_needs_verification: "This key did not check that it is you (no PIN, fingerprint or face), and your account has no other second factor to go with it: confirm with your password instead.",
} as const;
