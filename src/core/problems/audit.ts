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
} as const;
