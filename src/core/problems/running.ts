// English sentences for problems with running the server: its configuration, the address it
// listens on, its database file, disk and migrations. The operator reads most of them (a start
// that fails, /readyz); keys are stable API codes like the others (see otp.ts).
export const RUNNING_PROBLEMS = {
  config_port_invalid: '{{source}} must be a port number from 0 to 65535, not "{{value}}".',
  config_database_url_invalid: "The database URL must start with postgres:// (leave it unset to use the embedded SQLite file).",
  config_number_invalid: '{{name}} must be a whole number of at least 1, not "{{value}}".',
  config_boolean_invalid: "{{name}} must be true or false.",
  config_log_level_invalid: "WATCHWORD_LOG_LEVEL must be one of {{levels}}.",
  config_audit_retention_invalid: "WATCHWORD_AUDIT_RETENTION must be an age in days or hours, such as 365d or 12h.",
  config_public_url_invalid: "WATCHWORD_PUBLIC_URL must be an http:// or https:// address.",
  config_listen_invalid: '{{name}} must be an address and port such as 127.0.0.1:9464 or [::1]:9464, not "{{value}}".',
  config_metrics_token_weak: "WATCHWORD_METRICS_TOKEN must be at least {{length}} characters long, without spaces: make one with `openssl rand -hex 32`.",
  config_tls_incomplete: "HTTPS needs both a certificate and its private key: pass --tls-cert and --tls-key (or WATCHWORD_TLS_CERT and WATCHWORD_TLS_KEY) together.",
  tls_files_invalid: "The TLS certificate {{cert}} and key {{key}} cannot be used: {{reason}}.",
  metrics_token_invalid: "The metrics need the metrics token (WATCHWORD_METRICS_TOKEN), sent as a bearer token in the Authorization header.",
  postgres_schema_invalid: "The PostgreSQL schema name may contain only lower-case letters, digits and underscores.",
  migration_failed: "Database migration {{migration}} failed: {{reason}}.",

  port_in_use: "Port {{port}} on {{host}} is already in use: stop the other server or pass --port.",
  port_not_allowed: "Watchword may not listen on port {{port}} on {{host}}: pass --port with a port above 1023, or grant the right to bind it.",
  host_not_local: "{{host}} is not an address of this machine: pass --host with one of its addresses.",

  database_file_replaced:
    "The database file {{file}} was deleted, moved or replaced while Watchword was running, so nothing more is written to it: put the file back, or stop Watchword and restore it from a backup.",
  database_file_not_writable: "The database file {{file}} cannot be written ({{reason}}).",
  database_write_lock_held: "Another process is writing to the database (it holds the write lock), so writes wait and may fail.",
  disk_space_unknown: "Watchword cannot tell how much room is left on the file system of {{directory}} ({{reason}}).",
  disk_space_low: "Only {{free}} MiB is free on the file system of {{directory}}; Watchword needs {{needed}} MiB to go on writing safely: free some space.",
  vault_database_missing:
    "{{database}} is missing but {{key}} exists: restore the database (or point --data-dir or --database-url at it), or pass --new-vault to create an empty vault under this key.",
  vault_database_empty:
    "{{database}} holds no vault but {{key}} exists: restore the database (or point --data-dir or --database-url at it), or pass --new-vault to create an empty vault under this key.",
} as const;
