// English sentences for problems with administering people: users, their invitation and
// password-reset links, their own account, groups, and the mail that carries links.
// Keys are stable API codes; see otp.ts for the notation.
export const PEOPLE_PROBLEMS = {
  people_forbidden: "Only administrators manage users and groups.",
  user_id_not_found: "No user with this id exists.",
  last_admin: "This is the last enabled administrator: make another user an administrator first.",
  user_owns_entries: {
    one: "This user owns {{count}} entry: choose who receives it (entriesTo).",
    other: "This user owns {{count}} entries: choose who receives them (entriesTo).",
  },
  entries_recipient_invalid: "The entries must go to another enabled user who is not an auditor.",
  user_not_invited: "This user has already set a password: issue a password-reset link instead.",
  user_still_invited: "This user has not accepted the invitation yet: send a new invitation instead.",
  invite_link_invalid: "This invitation link is not valid or has expired. Ask an administrator for a new one.",
  invite_link_used: "This invitation link has been used already. Sign in instead.",
  reset_link_invalid: "This password-reset link is not valid or has expired. Ask an administrator for a new one.",
  reset_link_used: "This password-reset link has been used already. Ask an administrator for a new one.",
  current_password_wrong: "The current password is incorrect.",
  display_name_required: "Give a display name.",
  mail_not_sent: "The e-mail could not be sent ({{reason}}); give the person the link yourself.",

  group_not_found: "No group with this id exists.",
  group_name_required: "Give the group a name.",
  group_member_not_found: "This user is not a member of the group.",

  config_smtp_url_invalid: "WATCHWORD_SMTP_URL must be an smtp:// or smtps:// address, such as smtp://mail.example.com:587.",
  config_smtp_from_missing: "WATCHWORD_SMTP_FROM is needed with WATCHWORD_SMTP_URL: the address mails are sent from, such as Watchword <watchword@example.com>.",
  config_smtp_from_invalid: "WATCHWORD_SMTP_FROM must be an e-mail address, such as watchword@example.com or Watchword <watchword@example.com>.",
  config_smtp_without_url: "WATCHWORD_SMTP_FROM is set but WATCHWORD_SMTP_URL is not: set both to send e-mail, or neither.",
  config_smtp_needs_public_url: "Sending e-mail needs WATCHWORD_PUBLIC_URL, the address the links in mails point to.",
} as const;
