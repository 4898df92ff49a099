// English sentences for push approval of sign-ins (issue 10). Keys are stable API codes.
export const PUSH_APPROVAL_PROBLEMS = {
  push_device_not_registered: "This browser is not set up to approve sign-ins. Turn on push approval on the Sign-in & security page first.",
  push_device_token_missing: "This browser has no device cookie yet: sign out and sign in again on it, then turn on push approval.",
  push_devices_too_many: { one: "You can have at most {{count}} device for push approval. Remove one first.", other: "You can have at most {{count}} devices for push approval. Remove one first." },
  push_device_not_found: "There is no such device for push approval on your account.",
  push_request_not_found: "There is no such sign-in request. It may have been replaced by a newer one.",
  push_request_expired: "This sign-in request has expired (after 2 minutes).",
  push_request_ended: "This sign-in request was already answered.",
  push_answer_required: "Tap the number the sign-in shows, or deny the request.",
  push_needs_sign_in: "Push approval answers a sign-in only: use another method here.",
  push_requests_exhausted: { one: "Only {{count}} request can be sent for one sign-in: sign in again with your password.", other: "Only {{count}} requests can be sent for one sign-in: sign in again with your password." },
  push_reauthentication_requests_exhausted: {
    one: "Only {{count}} push request can be sent in 10 minutes to confirm it is you: wait a little, or use another method.",
    other: "Only {{count}} push requests can be sent in 10 minutes to confirm it is you: wait a little, or use another method.",
  },
  push_step_up_requests_exhausted: {
    one: "Only {{count}} push request can be sent in 10 minutes to confirm it is you before a code: wait a little, or use another method.",
    other: "Only {{count}} push requests can be sent in 10 minutes to confirm it is you before a code: wait a little, or use another method.",
  },
  push_request_own_session: "This browser asked to confirm it is you: it cannot approve its own request. Approve it on another of your devices.",
  push_no_other_device: "Only this browser is set up for push approval, and it cannot approve its own request. Use another method, or set up push approval on another device.",
  push_not_approved: "This sign-in has not been approved on your other device yet.",
  push_subscription_invalid: "The browser's push subscription is not valid: it needs an https endpoint at a browser's push service and its two keys.",
} as const;
