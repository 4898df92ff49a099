// The alert tables (migration 0011) as Kysely sees them.
export interface AlertSubscriptionsTable {
  id: string;
  user_id: string;
  entry_id: string | null;
  folder_id: string | null;
  /** "entry:<id>" or "folder:<id>": one alert per person, scope, channel and target. */
  scope_key: string;
  /** Event kinds, comma-separated, in core/alerts.ts's order. */
  events: string;
  channel: "email" | "webhook" | "slack" | "teams";
  /** The address, sealed (binding: the subscription's id, field "alert_target"); null for e-mail. */
  target_sealed: Buffer | null;
  /** Scheme and host, for showing; null for e-mail. */
  target_shown: string | null;
  /** SHA-256 of the address; "" for e-mail. */
  target_key: string;
  /** A webhook's signing secret, sealed (field "alert_secret"); null for other channels. */
  secret_sealed: Buffer | null;
  created_by: string | null;
  created_at: number;
}

export interface AlertDeliveriesTable {
  id: string;
  subscription_id: string;
  event_id: string;
  /** The alert's facts (core/alerts.ts AlertFacts), JSON. */
  facts: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}

export interface AlertTables {
  alert_subscriptions: AlertSubscriptionsTable;
  alert_deliveries: AlertDeliveriesTable;
}
