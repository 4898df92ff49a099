// English sentences for the account-recovery method (an e-mail address or a phone number proved
// with a 6-digit code) and for account recovery itself. Keys are stable API codes; see otp.ts.
export const RECOVERY_METHOD_PROBLEMS = {
  recovery_email_invalid: "Enter an e-mail address such as name@example.com.",
  recovery_phone_invalid: "Enter a phone number in international form, starting with + and the country code, such as +33 6 12 34 56 78.",
  recovery_email_unavailable: "This server sends no e-mail: ask an administrator to set up SMTP, or use a phone number.",
  recovery_sms_unavailable: "This server sends no text messages: ask an administrator to set up an SMS gateway, or use an e-mail address.",
  recovery_code_malformed: "Enter the 6-digit code that was sent to you (digits only; spaces are ignored).",
  recovery_code_wrong: {
    one: "This code is not correct ({{count}} attempt left).",
    other: "This code is not correct ({{count}} attempts left).",
  },
  recovery_code_expired: "This code has expired, was already used or was replaced by a newer one. Ask for a new code.",
  recovery_code_attempts_exhausted: "Too many wrong codes. Ask for a new code.",
  recovery_code_send_limit: "Too many codes were sent to this account in the last hour. Try again later.",
  recovery_code_not_sent: "The code could not be sent. Try again in a moment, or ask an administrator.",
  recovery_method_missing: "This account has no recovery method. Ask an administrator to help you back in.",
  recovery_already_open: "An account recovery is already under way for this account.",
  recovery_not_found: "There is no such account recovery, or it has ended.",
  recovery_not_ready: "This account recovery is waiting for an administrator’s approval or for its waiting period to end.",
  recovery_decide_forbidden: "Only an administrator may approve or deny an account recovery.",
  config_sms_without_url: "WATCHWORD_SMS_TOKEN or WATCHWORD_SMS_SENDER is set but WATCHWORD_SMS_URL is not: set the gateway's URL too, or none of them.",
  config_sms_url_invalid: "WATCHWORD_SMS_URL must be an https:// URL (http:// only on this machine, 127.0.0.1 or localhost).",
  config_sms_token_missing: "WATCHWORD_SMS_TOKEN must hold the gateway's bearer token (8 to 4096 characters, no spaces) when WATCHWORD_SMS_URL is set.",
  config_sms_sender_invalid: "WATCHWORD_SMS_SENDER must be 1 to 20 letters, digits, spaces or +.",
} as const;
