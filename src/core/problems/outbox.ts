// English sentences for deliveries that leave Watchword (SIEM destinations): their configuration,
// read at start-up, and why a delivery failed, as administrators see it. None repeats a secret or
// a webhook's path (which may hold a token): destinations are named by name and host only.
export const OUTBOX_PROBLEMS = {
  config_siem_variable_unknown:
    "{{variable}} is not a setting Watchword knows: a SIEM destination takes WATCHWORD_SIEM_<NAME>_URL, _SECRET, _CA_FILE and _START.",
  config_siem_name_invalid: "SIEM destination names are 1 to 40 lower-case letters, digits and dashes; {{name}} is not one.",
  config_siem_name_taken: "Two SIEM destinations are named {{name}}: give each its own name.",
  config_siem_url_missing: "SIEM destination {{name}} has no address: set WATCHWORD_SIEM_{{variable}}_URL.",
  config_siem_url_invalid:
    "The address of SIEM destination {{name}} is not one Watchword can deliver to: use https://… (a webhook), syslog+tcp://host:port, syslog+tls://host:port or syslog+udp://host:port.",
  config_siem_port_invalid: "The port of SIEM destination {{name}} must be a number from 1 to 65535.",
  config_siem_secret_missing: "Webhook destination {{name}} needs a signing secret (WATCHWORD_SIEM_{{variable}}_SECRET), at least 32 characters long.",
  config_siem_secret_short: "The signing secret of webhook destination {{name}} must be at least 32 characters long.",
  config_siem_option_misplaced: "{{option}} does not apply to SIEM destination {{name}}: a secret is for webhooks, a CA file for syslog over TLS.",
  config_siem_ca_unreadable: "The CA file {{file}} of SIEM destination {{name}} cannot be read, or holds no PEM certificate.",
  config_siem_start_invalid: "Where SIEM destination {{name}} starts must be beginning (every stored event) or now (events from its first start on).",
  config_siem_file_invalid: "The SIEM destinations file {{file}} cannot be read, or is not a JSON object with a destinations list as the README describes.",

  siem_delivery_unreachable: "{{target}} could not be reached ({{reason}}); the events wait and are delivered in order once it answers.",
  siem_delivery_refused_status: "{{target}} answered HTTP {{status}}; the events wait and are delivered in order once it accepts them.",
  siem_delivery_timed_out: "{{target}} did not answer in time; the events wait and are delivered in order once it answers.",
  siem_delivery_tls_failed: "The TLS connection to {{target}} failed ({{reason}}): check its certificate and the destination's CA file.",
  siem_destinations_forbidden: "Only administrators may see the SIEM destinations.",
} as const;
