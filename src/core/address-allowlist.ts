// IP/CIDR allowlists of API tokens: parsing what a person typed and checking a caller's address.
// Pure: ipaddr.js does the address arithmetic (IPv4, IPv6, IPv4-mapped IPv6), no I/O, so policy
// runs in the browser too (the web app asks core/policy.ts what to offer).
import ipaddr from "ipaddr.js";
import { invalidInput, problem } from "./errors.js";

/** A network as stored: canonical "address/prefix" text, e.g. "10.0.0.0/8" or "2001:db8::/32". */
export type Cidr = string;

const MAX_TEXT = 64;
const EXAMPLES = { ipv4: "10.0.0.0/8", ipv6: "2001:db8::/32" } as const;

/** Parses "10.0.0.0/8", "2001:db8::/32" or a single address (then /32 or /128); throws a sentence for the person otherwise. */
export function parseCidr(text: string, field = "allowCidr"): Cidr {
  const trimmed = text.trim();
  const shown = trimmed.slice(0, MAX_TEXT);
  if (trimmed === "" || trimmed.length > MAX_TEXT) throw invalidInput(problem("address_not_valid", { text: shown, ...EXAMPLES }), field);
  const slash = trimmed.indexOf("/");
  const address = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw invalidInput(problem("address_not_valid", { text: shown, ...EXAMPLES }), field);
  const longest = family === 4 ? 32 : 128;
  if (slash === -1) return `${address.toLowerCase()}/${longest}`;
  const prefixText = trimmed.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= longest)) {
    throw invalidInput(problem("network_prefix_invalid", { text: shown, longest }), field);
  }
  return `${address.toLowerCase()}/${prefix}`;
}

/**
 * Whether `address` (as the server saw it, possibly IPv4-mapped "::ffff:10.1.2.3") lies in one of
 * the networks. An empty list allows every address; an unparseable address is never allowed.
 */
export function isAddressAllowed(address: string, allowed: readonly Cidr[]): boolean {
  if (allowed.length === 0) return true;
  if (isIP(address) === 0) return false;
  // An IPv4-mapped IPv6 address ("::ffff:10.1.2.3") is the IPv4 address it maps.
  const caller = ipaddr.process(address);
  return allowed.some((cidr) => {
    const [network = "", prefix = ""] = cidr.split("/");
    const family = isIP(network);
    // A stored value that no longer parses allows nothing rather than throwing on every request.
    if (family === 0 || !/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return false;
    const range = ipaddr.parse(network);
    return caller.kind() === range.kind() && caller.match(range, Number(prefix));
  });
}

/** 4, 6, or 0 for anything else: IPv4 only in its four-part decimal form (no "127.1", octal or hex). */
function isIP(text: string): 0 | 4 | 6 {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  return ipaddr.IPv6.isValid(text) ? 6 : 0;
}
