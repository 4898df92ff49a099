// How an audit event reads in the viewer: its action, who acted and on whose approval, what it
// was done to, and its time in the reader's language and zone.
import type { TFunction } from "i18next";
import type { AuditEventView } from "../../../src/contract/audit.js";
import { actionLabelOf, type CatalogueLookup } from "./action-labels.js";

/** A lookup into the current language's catalogue, for action and area labels. */
export function catalogueLookupOf(t: TFunction, exists: (path: string) => boolean): CatalogueLookup {
  return (path) => {
    if (!exists(path)) return undefined;
    const text: unknown = (t as unknown as (key: string, options: object) => unknown)(path, { returnObjects: false });
    return typeof text === "string" && text !== path ? text : undefined;
  };
}

export const actionTextOf = (event: Pick<AuditEventView, "action">, lookup: CatalogueLookup): string => actionLabelOf(event.action, lookup);

/** The time as the reader reads times: their language, their zone, to the second. */
export function eventTimeOf(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "medium" }).format(date);
}

/** The same, shorter, for a list's row. */
export function eventShortTimeOf(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: "short", timeStyle: "medium" }).format(date);
}

/** What it was done to: the target's name (or id), else the entry's name; undefined for nothing. */
export function targetTextOf(event: Pick<AuditEventView, "target" | "entry">): string | undefined {
  if (event.target !== null) return event.target.name ?? event.target.id ?? event.target.type;
  return event.entry?.name;
}

/** The kind of thing a target is ("Entry", "Group"), or the server's word for a kind the catalogue does not know. */
export const targetTypeTextOf = (type: string, lookup: CatalogueLookup): string => (/^[a-z][a-z0-9_]*$/.test(type) ? (lookup(`audit.targetTypes.${type}`) ?? type) : type);

export const outcomeTextOf = (outcome: AuditEventView["outcome"], t: TFunction): string => t(`audit.outcomes.${outcome}`);
export const channelTextOf = (channel: AuditEventView["channel"], t: TFunction): string => t(`audit.channels.${channel}`);
