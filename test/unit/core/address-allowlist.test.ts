import { describe, expect, it } from "vitest";
import { isAddressAllowed, parseCidr } from "../../../src/core/address-allowlist.js";

const invalidOn = (field: string) => expect.objectContaining({ code: "invalid_input", details: { field } });

describe("token address allowlists", () => {
  it("reads networks and single addresses in their canonical form", () => {
    expect(parseCidr("10.0.0.0/8")).toBe("10.0.0.0/8");
    expect(parseCidr(" 192.168.1.7 ")).toBe("192.168.1.7/32");
    expect(parseCidr("2001:DB8::/32")).toBe("2001:db8::/32");
    expect(parseCidr("::1")).toBe("::1/128");
    expect(parseCidr("0.0.0.0/0")).toBe("0.0.0.0/0");
  });

  it("refuses what is not a network, with a sentence and the field", () => {
    for (const bad of ["", "10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "010.0.0.1", "example.com", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "x".repeat(500)]) {
      expect(() => parseCidr(bad, "allowCidr")).toThrow(invalidOn("allowCidr"));
    }
    expect(() => parseCidr("10.0.0.0/40")).toThrow("The network \"10.0.0.0/40\" needs a prefix length from 0 to 32 after the \"/\".");
    // An oversized value is not echoed whole.
    expect(() => parseCidr("1".repeat(500))).toThrow(/^The address "1{64}" is not/);
  });

  it("allows every address when the list is empty", () => {
    expect(isAddressAllowed("203.0.113.9", [])).toBe(true);
  });

  it("checks IPv4, IPv6 and IPv4-mapped IPv6 addresses against the networks", () => {
    const allowed = ["10.0.0.0/8", "2001:db8::/32"];
    expect(isAddressAllowed("10.200.1.1", allowed)).toBe(true);
    expect(isAddressAllowed("::ffff:10.200.1.1", allowed)).toBe(true);
    expect(isAddressAllowed("2001:db8:1::5", allowed)).toBe(true);
    expect(isAddressAllowed("11.0.0.1", allowed)).toBe(false);
    expect(isAddressAllowed("::ffff:11.0.0.1", allowed)).toBe(false);
    expect(isAddressAllowed("2001:db9::1", allowed)).toBe(false);
    expect(isAddressAllowed("192.168.1.7", [parseCidr("192.168.1.7")])).toBe(true);
    expect(isAddressAllowed("192.168.1.8", [parseCidr("192.168.1.7")])).toBe(false);
  });

  it("never allows an address it cannot read, and ignores a stored network that no longer parses", () => {
    expect(isAddressAllowed("", ["0.0.0.0/0"])).toBe(false);
    expect(isAddressAllowed("unknown", ["0.0.0.0/0"])).toBe(false);
    expect(isAddressAllowed("10.0.0.1", ["garbage", "10.0.0.0/99"])).toBe(false);
    expect(isAddressAllowed("10.0.0.1", ["garbage", "10.0.0.0/8"])).toBe(true);
  });
});
