// English sentences for problems with access requests, approvals, emergency access (break glass)
// and entry access policies. Keys are stable API codes; see otp.ts for the notation.
export const ACCESS_REQUEST_PROBLEMS = {
  access_request_not_found: "No access request with this id exists, or it is not yours to see.",
  access_request_target_required: "Ask for exactly one entry or one folder: give entryId or folderId, not both.",
  access_request_forbidden: "Auditors cannot ask for access to entries.",
  access_request_own: "You cannot approve, deny or review your own request: another approver must decide.",
  access_request_already_decided: "You have already decided on this request.",
  access_request_closed: "This request is no longer open: it is {{status}}.",
  access_request_not_pending: "Only a pending request can be cancelled: this one is {{status}}.",
  access_request_not_emergency: "Only an emergency use is reviewed; approve or deny this request instead.",
  access_request_duration_longer: "An approval may shorten the duration asked for, not lengthen it: at most {{seconds}} seconds here.",
  entry_emergency_access_off: "Emergency access is off for this entry: ask for access and wait for an approval.",
  entry_emergency_not_needed: "You may already use this entry: get its code the usual way, no emergency access needed.",
  entry_policy_forbidden: "Changing this entry's access policy needs the manage permission on it (its owner, a manager or an administrator).",
  duration_invalid: 'The duration "{{value}}" is not understood: write a number and a unit, e.g. 30m, 8h or 7d.',
} as const;
