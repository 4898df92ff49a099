// English sentences for problems with alert subscriptions: their events, channels and targets.
// Keys are stable API codes; see otp.ts for the notation.
export const ALERT_PROBLEMS = {
  alert_event_unknown: 'Alerts are not sent for "{{kind}}"; choose among {{kinds}}.',
  alert_events_empty: "Choose at least one event to be alerted of.",
  alert_target_required: "A webhook, Slack or Teams alert needs the address to post to.",
  alert_target_not_expected: "An e-mail alert goes to the address of the person's account: give no target.",
  alert_target_not_url: "The target is not a web address (https://…).",
  alert_target_scheme: "An alert address must start with https:// or http://.",
  alert_target_needs_https: "A Slack or Teams webhook address on the internet must start with https://.",
  alert_target_credentials: "The target may not hold a user name or password: put the secret in the path the service gave you.",
  alert_target_private: "The target is a private, loopback or link-local address, where this server does not post alerts.",
  alert_target_too_long: "The target may be at most {{limit}} characters long.",
  alert_target_unreachable: "The target's name does not resolve to any public address.",
  alert_email_missing: "They have no e-mail address in Watchword, so e-mail alerts cannot reach them.",
  alert_subscription_not_found: "No alert with this id exists here, or it is not yours to see.",
  alert_subscription_exists: "This alert exists already: the same person, channel and target.",
  alert_watchers_forbidden: "Alerting someone else needs the manage permission on the entry (its owner, a manager or an administrator).",
  alert_watcher_unknown: "No enabled user with this id exists.",
  alert_watcher_cannot_see: "This person may not see the entry, so they cannot be alerted of it.",
  alert_subscriptions_too_many: { one: "An entry holds at most {{count}} alert.", other: "An entry holds at most {{count}} alerts." },
} as const;
