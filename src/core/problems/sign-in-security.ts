// English sentences for problems with the security of a user's own sign-in: sign-in recovery
// codes, second-factor throttling and the sessions list. Keys are stable API codes; see otp.ts.
export const SIGN_IN_SECURITY_PROBLEMS = {
  second_factor_throttled: {
    one: "Too many wrong codes. Try again in {{count}} second.",
    other: "Too many wrong codes. Try again in {{count}} seconds.",
  },
  second_factor_locked: "Two-step sign-in is locked on this account after too many wrong codes. An administrator must unlock it.",
  session_not_found: "No session of yours has this id: it may have ended already.",
} as const;
