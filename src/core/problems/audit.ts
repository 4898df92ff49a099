// English sentences for the audit log: writing it, its checkpoint file, and what verification
// finds. Each break names the first event at fault, so an operator knows where to look.
export const AUDIT_PROBLEMS = {
  audit_key_missing: "The audit log cannot be written before the vault's key is open.",
  audit_read_forbidden: "Only administrators and auditors may read or verify the audit log.",

  audit_chain_intact: {
    one: "The audit chain is intact: {{count, number}} event, checked against {{checkpoints, number}} checkpoints.",
    other: "The audit chain is intact: {{count, number}} events, checked against {{checkpoints, number}} checkpoints.",
  },
  audit_verify_progress: "Verifying the audit chain: {{percent}}% ({{checked, number}} of {{total, number}} events)",
  audit_chain_event_missing: "Event {{seq}} is missing from the audit log: it was deleted, or the events after it were renumbered.",
  audit_chain_event_unlinked: "Event {{seq}} does not follow the event before it: events were inserted, deleted or reordered here.",
  audit_chain_event_changed: "Event {{seq}} does not match its link: it was modified, forged, or moved from elsewhere in the chain.",
  audit_chain_event_unkeyed:
    "Event {{seq}} carries a plain SHA-256 link where a keyed link is due: the chain was rewritten from here by someone without the audit key.",
  audit_chain_beyond_head: "Event {{seq}} lies beyond the recorded head of the audit chain (event {{headSeq}}): it was inserted.",
  audit_chain_head_ahead: "The audit log ends at event {{seq}} but its head names event {{headSeq}}: the newest events were cut off.",
  audit_chain_head_differs: "The head of the audit chain does not match event {{seq}}: the head or the newest event was rewritten.",
  audit_chain_start_missing: "The audit log starts at event {{seq}}, and no checkpoint vouches for the events before it: they were deleted.",
  audit_chain_checkpoint_absent:
    "Checkpoint {{seq}} in {{file}} names an event the database no longer has: the events from {{first}} on were cut off, or an older copy of the database was put back.",
  audit_chain_checkpoint_differs:
    "Event {{seq}} differs from checkpoint {{seq}} in {{file}}: the chain was rewritten, or an older copy of the database was put back and written on.",
  audit_chain_keyed_from_moved:
    "Keyed links begin at event {{stored}} in the database but at event {{recorded}} in {{file}}: the chain was rewritten to pass keyed events off as older ones.",
  audit_chain_checkpoint_other_key: "The checkpoints in {{file}} were written under another audit key ({{keyId}}): they belong to another vault.",

  audit_checkpoint_file_unreadable: "The checkpoint file {{file}} cannot be read ({{reason}}).",
  audit_checkpoint_line_invalid: "Line {{line}} of the checkpoint file {{file}} is not a checkpoint.",
  audit_checkpoint_not_written: "A checkpoint of the audit chain could not be written to {{file}} ({{reason}}).",
  audit_cursor_invalid: "This cursor is not one the server gave out: start again from the first page, without a cursor.",
  audit_limit_out_of_range: "The limit must be a whole number from 1 to {{max}}.",
  audit_time_invalid: "{{field}} is not a time: give an ISO-8601 date and time with its time zone, such as 2026-12-01T09:00:00Z.",
  audit_time_range_empty: "The time range is empty: since must come before until.",
  audit_entry_read_forbidden: "Only the entry's managers, administrators and auditors may read its audit events.",
  cli_audit_time_invalid: "The time \"{{value}}\" is not valid: give a date (2026-12-01), a date and time (2026-12-01T09:00Z) or a time back from now (24h, 7d).",
  cli_audit_format_conflict: "Choose one of --csv, --json and --jsonl.",
  audit_chain_start_unvouched: "The audit log starts after event {{seq}}, archived, but no checkpoint and no archiving event vouch for that start: events were deleted.",
  audit_archive_before_invalid: "Say how old events must be to be archived as an age (30d, 12h) or an ISO 8601 time (2026-06-30 or 2026-06-30T00:00:00Z).",
  audit_archive_file_exists: "{{file}} exists already and holds events that are no longer in the database: choose another file, so that no archive is overwritten.",
  audit_archive_unwritable: "The archive {{file}} cannot be written ({{reason}}); nothing was deleted.",
  audit_archive_unreadable: "The archive {{file}} cannot be read ({{reason}}).",
  audit_archive_line_invalid: "Line {{line}} of the archive {{file}} is not an audit event or its checkpoint.",
  audit_archive_chain_broken: "Event {{seq}} breaks the audit chain, so nothing was archived or deleted: run `watchword audit verify` to see what was done to it.",
  audit_archive_moved: "Another archiving ran meanwhile (the live chain now starts after event {{seq}}); nothing was deleted: run the archiving again.",
  audit_archive_checkpoint_missing: "The archive {{file}} has no checkpoint line: it was cut short or is not an archive.",
  audit_archive_checkpoint_differs: "The archive {{file}} does not end at its checkpoint (event {{seq}}): events were cut off, added or rewritten.",
  audit_archive_live_start_differs: "The live audit chain does not begin where the archive {{file}} ends (event {{seq}}): the archive or the live chain was rewritten.",
  audit_archived: {
    one: "Archived {{count, number}} event (events {{first}} to {{last}}) to {{file}}.",
    other: "Archived {{count, number}} events (events {{first}} to {{last}}) to {{file}}.",
  },
  audit_archive_nothing: "No event is older than that: nothing was archived.",
  audit_archive_intact: {
    one: "The archive {{file}} is intact: {{count, number}} event (events {{first}} to {{last}}), checked against its checkpoint and the live chain.",
    other: "The archive {{file}} is intact: {{count, number}} events (events {{first}} to {{last}}), checked against its checkpoint and the live chain.",
  },
} as const;
