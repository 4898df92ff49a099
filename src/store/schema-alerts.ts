// The alert tables (migration 0011) as Kysely sees them.
import type { Generated } from "kysely";
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
  delivered_count: Generated<number>;
  /** Alerts given up on (a receiver that refused them, or kept failing). */
  failed_count: Generated<number>;
  last_delivered_at: number | null;
  /** Why the latest failed attempt failed, without any address. */
  last_error: string | null;
  last_error_at: number | null;
}

export interface AlertTables {
  alert_subscriptions: AlertSubscriptionsTable;
}
