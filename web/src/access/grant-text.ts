// How grants read on a page: the principal with its kind, the permission in words, and until when.
import type { TFunction } from "i18next";
import type { GrantPermission, NamedPrincipal } from "../../../src/contract/grants.js";
import { formatMoment } from "../entries/detail/time-text.js";

export const permissionText = (permission: GrantPermission, t: TFunction): string => t(`entries.access.permissions.${permission}`);

export const principalKindText = (principal: Pick<NamedPrincipal, "kind">, t: TFunction): string => t(`entries.access.kinds.${principal.kind}`);

/** "until 1 Dec 2026, 18:00", or "until revoked". */
export const untilText = (expiresAt: string | null, t: TFunction, language: string): string =>
  expiresAt === null ? t("entries.access.untilRevoked") : t("entries.access.until", { moment: formatMoment(expiresAt, language) });

/** Lengths offered for a new grant, in seconds; "" is until revoked. */
export const EXPIRY_CHOICES = ["", "3600", "28800", "86400", "604800", "2592000"] as const;
