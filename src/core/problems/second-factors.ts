// English sentences for vault users' own second factors: the second step of a sign-in, enrolling
// an authenticator app, and re-authentication ("sudo mode"). Keys are stable API codes; see otp.ts.
export const SECOND_FACTOR_PROBLEMS = {
  second_factor_code_malformed: "Enter the {{digits}}-digit code your authenticator app shows (digits only; spaces and dashes are ignored).",
  second_factor_code_wrong: {
    one: "This code is not correct. Check the time on your phone and try again ({{count}} attempt left).",
    other: "This code is not correct. Check the time on your phone and try again ({{count}} attempts left).",
  },
  second_factor_code_incorrect: "This code is not correct. Check the time on your phone and try again.",
  second_factor_code_replayed: "This code was already used. Wait for the next code in your authenticator app and enter that one.",
  second_factor_attempts_exhausted: "Too many wrong codes: sign in again with your password.",
  sign_in_challenge_invalid: "This sign-in has expired or ended. Sign in again with your password.",
  second_factor_method_unavailable: 'The method "{{method}}" is not set up for this account.',
  second_factor_required: "This account has two-step verification: give the code from your authenticator app.",
  reauthentication_required: "Confirm your password (and second factor) again to do this.",
  enrolment_not_found: "This setup of an authenticator app has expired or was replaced. Start again.",
  enrolment_code_wrong: "This code is not correct. Check that the app shows the Watchword account you just added, and the time on your phone.",
  factor_not_found: "There is no such sign-in method on your account.",
  factor_name_required: "Give the sign-in method a name.",
  second_factor_code_required: "Enter the code from your authenticator app.",
  recovery_code_malformed: "A sign-in recovery code is 16 letters and digits, such as ABCD-EFGH-2345-JKLM. Enter one from the list you saved.",
} as const;
