// Checks the add-entry forms make before sending, and the requests they send. The server checks
// everything again and names the field it refuses; these only catch the obvious in the reader's
// language before a round trip.
import type { CreateEntryRequest, OtpType } from "../../../../src/contract/entries.js";

export type SeedProblem =
  | "nameRequired"
  | "secretRequired"
  | "secretNotBase32"
  | "uriRequired"
  | "uriNotLink"
  | "digitsOutOfRange"
  | "periodOutOfRange"
  | "counterInvalid";

export interface SetupKeyValues {
  readonly name: string;
  readonly issuer: string;
  readonly account: string;
  readonly secret: string;
  readonly type: OtpType;
  readonly algorithm: "SHA1" | "SHA256" | "SHA512";
  readonly digits: string;
  readonly period: string;
  readonly counter: string;
}

export type SetupKeyField = "name" | "secret" | "digits" | "period" | "counter";

/** Whether the entry's template wants a seed: the default template does; some make it optional or have none. */
export type SeedNeed = "required" | "optional" | "none";

/** Whether the form sends a seed at all: not for a template without one, nor an optional one left empty. */
export const isSendingSeed = (values: SetupKeyValues, need: SeedNeed): boolean =>
  need === "required" || (need === "optional" && normaliseSecret(values.secret) !== "");

export const DEFAULT_SETUP_KEY: SetupKeyValues = {
  name: "",
  issuer: "",
  account: "",
  secret: "",
  type: "totp",
  algorithm: "SHA1",
  digits: "6",
  period: "30",
  counter: "0",
};

/** A setup key as people paste it: spaces, dashes and lower case are fine (the server agrees). */
export const normaliseSecret = (secret: string): string => secret.replace(/[\s-]/g, "").toUpperCase();

const isWholeNumber = (text: string): boolean => /^\d+$/.test(text.trim());

export function checkSetupKey(values: SetupKeyValues, need: SeedNeed = "required"): Partial<Record<SetupKeyField, SeedProblem>> {
  const problems: Partial<Record<SetupKeyField, SeedProblem>> = {};
  if (values.name.trim() === "") problems.name = "nameRequired";
  if (!isSendingSeed(values, need)) return problems;
  const secret = normaliseSecret(values.secret);
  if (secret === "") problems.secret = "secretRequired";
  else if (!/^[A-Z2-7]+=*$/.test(secret)) problems.secret = "secretNotBase32";
  if (values.type !== "steam") {
    const digits = Number(values.digits);
    if (!isWholeNumber(values.digits) || digits < 6 || digits > 10) problems.digits = "digitsOutOfRange";
  }
  if (values.type !== "hotp") {
    const period = Number(values.period);
    if (!isWholeNumber(values.period) || period < 1 || period > 86_400) problems.period = "periodOutOfRange";
  }
  if (values.type === "hotp" && !isWholeNumber(values.counter)) problems.counter = "counterInvalid";
  return problems;
}

const optional = (text: string): string | undefined => (text.trim() === "" ? undefined : text.trim());

export function setupKeyRequest(values: SetupKeyValues, folderId: string | null, need: SeedNeed = "required"): CreateEntryRequest {
  const issuer = optional(values.issuer);
  const account = optional(values.account);
  const base: CreateEntryRequest = {
    name: values.name.trim(),
    ...(issuer === undefined ? {} : { issuer }),
    ...(account === undefined ? {} : { account }),
    folderId,
  };
  if (!isSendingSeed(values, need)) return base;
  return {
    ...base,
    seed: {
      secret: normaliseSecret(values.secret),
      type: values.type,
      ...(values.type === "steam" ? {} : { algorithm: values.algorithm, digits: Number(values.digits) }),
      ...(values.type === "hotp" ? { counter: Number(values.counter) } : { period: Number(values.period) }),
    },
  };
}

export function checkLink(uri: string): SeedProblem | undefined {
  const link = uri.trim();
  if (link === "") return "uriRequired";
  if (!/^(otpauth|steam):\/\//i.test(link)) return "uriNotLink";
  return undefined;
}

export function linkRequest(uri: string, name: string, folderId: string | null): CreateEntryRequest {
  const chosenName = optional(name);
  return { ...(chosenName === undefined ? {} : { name: chosenName }), folderId, seed: { uri: uri.trim() } };
}

/** Text that is an otpauth:// or steam:// link, as pasted (one line, no surrounding spaces). */
export const looksLikeLink = (text: string): boolean => /^(otpauth|steam):\/\/\S+$/i.test(text.trim());
