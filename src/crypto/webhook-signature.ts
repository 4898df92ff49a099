// Signs webhook bodies (SIEM deliveries, alerts): HMAC-SHA256 under the destination's secret over
// `timestamp + "." + body`, so a receiver can tell the body came from Watchword unchanged, and by
// the timestamp that it is not an old delivery replayed. The README shows how to verify.
import { createHmac } from "node:crypto";
import type { Secret } from "../core/secret.js";

export const SIGNATURE_HEADER = "watchword-signature";
export const TIMESTAMP_HEADER = "watchword-timestamp";

/** `v1=<hex>`: the version prefix lets a later scheme be added beside it. */
export function signWebhookBody(secret: Secret, timestampSeconds: number, body: string): string {
  return `v1=${createHmac("sha256", secret.reveal()).update(`${timestampSeconds}.${body}`, "utf8").digest("hex")}`;
}
