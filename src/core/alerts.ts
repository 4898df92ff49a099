// Alerts: which committed audit events owners and watchers of an entry may be told of, and the
// facts an alert carries. Pure. An alert is made from the audit event alone, field by chosen field:
// never a seed, a code, a recovery code or a secret (the event holds none, and nothing else is read).
import ipaddr from "ipaddr.js";
import { invalidInput, problem } from "./errors.js";

export const ALERT_EVENT_KINDS = ["code_issued", "recovery_code_revealed", "seed_overwritten", "access_requested", "emergency_used"] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

export const ALERT_CHANNELS = ["email", "webhook", "slack", "teams"] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** What an alert is made from: the committed audit event's own columns. */
export interface AlertSourceEvent {
  readonly id: string;
  readonly at: number;
  readonly actorType: string;
  readonly actorName: string;
  readonly action: string;
  readonly outcome: string;
  readonly entryId: string | null;
  readonly entryName: string | null;
  readonly reason: string | null;
  readonly channel: string;
  /** The event's details, serialised JSON. */
  readonly details: string;
}

/** Which alert a committed event is, if any. Only what succeeded: a refused attempt handed out nothing. */
export function alertKindOf(event: Pick<AlertSourceEvent, "action" | "outcome" | "details">): AlertEventKind | undefined {
  if (event.outcome !== "success") return undefined;
  switch (event.action) {
    case "code.issued":
      return detailsOf(event.details).emergency === true ? "emergency_used" : "code_issued";
    case "recovery_code.revealed":
    case "recovery_codes.revealed_all":
      return "recovery_code_revealed";
    case "seed.overwritten":
      return "seed_overwritten";
    case "access_request.created":
      return "access_requested";
    default:
      return undefined;
  }
}

function detailsOf(text: string): Readonly<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The folder an event names in its details (an access request for a whole folder). */
export function folderOfEvent(event: Pick<AlertSourceEvent, "details">): { readonly id: string; readonly name: string } | undefined {
  const details = detailsOf(event.details);
  return typeof details.folderId === "string" && typeof details.folderName === "string" ? { id: details.folderId, name: details.folderName } : undefined;
}

/** Everything any alert says, in every channel. Chosen fields only; the reason is the person's own words. */
export interface AlertFacts {
  /** The audit event's id: receivers drop duplicates by it. */
  readonly eventId: string;
  readonly kind: AlertEventKind;
  readonly at: number;
  readonly actor: { readonly type: string; readonly name: string };
  /** The entry, or the folder of a folder-wide request. */
  readonly target: { readonly kind: "entry" | "folder"; readonly id: string; readonly name: string };
  readonly reason: string | null;
  /** web, API or CLI, as the event says ("ui", "api", "cli"). */
  readonly channel: string;
  /** The entry's page (or the requests page for a folder); null when the server has no public address. */
  readonly link: string | null;
}

const REASON_LIMIT = 500;
const NAME_LIMIT = 200;
const clip = (text: string, limit: number): string => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

/** The facts of an alert for a committed event, or undefined when it is not one. */
export function alertFactsOf(event: AlertSourceEvent, publicUrl: string | undefined): AlertFacts | undefined {
  const kind = alertKindOf(event);
  if (kind === undefined) return undefined;
  const folder = folderOfEvent(event);
  const target =
    event.entryId !== null ? { kind: "entry" as const, id: event.entryId, name: clip(event.entryName ?? "", NAME_LIMIT) } : folder === undefined ? undefined : { kind: "folder" as const, id: folder.id, name: clip(folder.name, NAME_LIMIT) };
  if (target === undefined) return undefined;
  const link = publicUrl === undefined ? null : new URL(target.kind === "entry" ? `/entries/${encodeURIComponent(target.id)}` : "/requests", publicUrl).href;
  return {
    eventId: event.id,
    kind,
    at: event.at,
    actor: { type: event.actorType, name: clip(event.actorName, NAME_LIMIT) },
    target,
    reason: event.reason === null ? null : clip(event.reason, REASON_LIMIT),
    channel: event.channel,
    link,
  };
}

// ----- Targets ------------------------------------------------------------------------------

export const TARGET_URL_LIMIT = 2048;

/**
 * Whether private, loopback and link-local addresses may receive alerts. Off by default: a member
 * who may subscribe could otherwise make the server post to its own network (SSRF).
 */
export interface TargetRule {
  readonly allowPrivate: boolean;
}

const PUBLIC_RANGE = "unicast";

/** Whether an IP address (v4, v6 or IPv4-mapped) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === PUBLIC_RANGE;
}

/** The host of a target URL, without brackets for IPv6. */
const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, "");

/**
 * Checks the URL of a webhook, Slack or Teams target and returns it in canonical form: http(s)
 * only, no user name or password in it, at most 2048 characters, and no private address unless the
 * rule allows it. Slack and Teams need https, except at a private address the operator allowed (a
 * relay inside their own network). Hostnames are checked again, as resolved, when delivered.
 */
export function checkTargetUrl(text: string, channel: Exclude<AlertChannel, "email">, rule: TargetRule, field = "target"): URL {
  if (text.length > TARGET_URL_LIMIT) throw invalidInput(problem("alert_target_too_long", { limit: TARGET_URL_LIMIT }), field);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidInput(problem("alert_target_not_url"), field);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalidInput(problem("alert_target_scheme"), field);
  if (url.username !== "" || url.password !== "") throw invalidInput(problem("alert_target_credentials"), field);
  const host = hostOf(url);
  const isPrivate = host === "localhost" || host.endsWith(".localhost") || (ipaddr.isValid(host) && !isPublicAddress(host));
  if (isPrivate && !rule.allowPrivate) throw invalidInput(problem("alert_target_private"), field);
  if (channel !== "webhook" && url.protocol !== "https:" && !isPrivate) throw invalidInput(problem("alert_target_needs_https"), field);
  return url;
}

/** How a target is shown once stored: scheme and host only, since a Slack or Teams URL is itself a credential. */
export const shownTargetOf = (url: URL): string => `${url.protocol}//${url.host}`;

// ----- Event kinds --------------------------------------------------------------------------

/** Which event kinds a subscription asks for, checked: known, no duplicates, at least one. */
export function checkEventKinds(kinds: readonly string[], field = "events"): AlertEventKind[] {
  const known = new Set<string>(ALERT_EVENT_KINDS);
  for (const kind of kinds) if (!known.has(kind)) throw invalidInput(problem("alert_event_unknown", { kind: clip(kind, 40), kinds: ALERT_EVENT_KINDS.join(", ") }), field);
  if (kinds.length === 0) throw invalidInput(problem("alert_events_empty"), field);
  return ALERT_EVENT_KINDS.filter((kind) => kinds.includes(kind));
}
