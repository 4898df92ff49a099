// IP/CIDR allowlists of API tokens: parsing what a person typed and checking a caller's address.
// Pure: Node's BlockList does the address arithmetic (IPv4, IPv6, IPv4-mapped IPv6), no I/O.
import { BlockList, isIP } from "node:net";
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
  const family = isIP(address);
  if (family === 0) return false;
  const list = new BlockList();
  for (const cidr of allowed) {
    const [network = "", prefix = ""] = cidr.split("/");
    const networkFamily = isIP(network);
    // A stored value that no longer parses allows nothing rather than throwing on every request.
    if (networkFamily === 0 || !/^\d{1,3}$/.test(prefix) || Number(prefix) > (networkFamily === 4 ? 32 : 128)) continue;
    list.addSubnet(network, Number(prefix), networkFamily === 4 ? "ipv4" : "ipv6");
  }
  return list.check(address, family === 4 ? "ipv4" : "ipv6");
}
