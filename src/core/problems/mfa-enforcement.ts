// English sentences for the administrators' MFA rule (who must enrol a second factor) and for
// step-up (a fresh second factor before each code of some entries). Keys are stable API codes.
export const MFA_ENFORCEMENT_PROBLEMS = {
  second_factor_enrolment_required: "Your administrator requires two-step verification: add a sign-in method at Sign-in & security before you do anything else.",
  mfa_enforcement_forbidden: "Only administrators can choose who must use two-step verification.",
  mfa_enforcement_methods_required: "Choose at least one sign-in method that counts: authenticator app, passkey or push approval.",
  mfa_enforcement_method_fallback: "Sign-in recovery codes are a way back in, not a method of their own: choose an authenticator app, a passkey or push approval.",
  mfa_enforcement_groups_required: "Choose at least one group, or require two-step verification for everyone.",
  mfa_enforcement_group_unknown: 'There is no group with the id "{{id}}".',
  mfa_enforcement_own_factor_required: "Add one of the chosen sign-in methods to your own account first, so that the rule you set does not stop you at your next sign-in.",
  administrators_without_second_factor: {
    one: "{{count}} administrator has no second factor while other people use this vault. Administrators must use two-step verification: turn the rule on, or ask them to add a sign-in method.",
    other: "{{count}} administrators have no second factor while other people use this vault. Administrators must use two-step verification: turn the rule on, or ask them to add a sign-in method.",
  },
  step_up_required: "This entry asks for a fresh second factor before each code: confirm with your second factor to see it.",
  step_up_factor_missing: "This entry asks for a second factor before each code, and your account has none: add one at Sign-in & security.",
  step_up_not_for_tokens: "This entry asks for a person's second factor before each code: a service account's token cannot get its codes.",
  step_up_not_required: "This entry does not ask for a second factor before its codes.",
  step_up_push_not_requested: "This session has sent no push request to step up: send one from here. An approval given to another session, or to confirm it is you for a change, does not count here.",
  step_up_push_pending: "The push request has not been approved on your other device yet.",
  step_up_push_denied: "The push request was refused on your other device. Send a new one if it was you.",
  step_up_push_expired: "The push request expired (after 2 minutes) before it was used. Send a new one.",
  step_up_push_used: "This push approval was already used once. Send a new request.",
  folder_step_up_forbidden: "Only administrators can make a folder ask for a second factor before each code.",
} as const;
