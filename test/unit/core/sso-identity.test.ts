// What Watchword makes of a provider's claims: usernames, roles, mapped groups, SSO-only domains.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { baseUsernameOf, mappedGroupsOf, readProviderPerson, roleOf, ssoOnlyDomainOf, usernameCandidates } from "../../../src/core/sso-identity.js";

describe("provider claims", () => {
  it("derives a valid username from preferred_username, else the e-mail's local part", () => {
    expect(baseUsernameOf({ preferredUsername: "Zoé.Martin", email: null })).toBe("zoe.martin");
    expect(baseUsernameOf({ preferredUsername: "../../etc", email: null })).toBe("etc");
    expect(baseUsernameOf({ preferredUsername: "___", email: "Bob+ops@corp.example" })).toBe("bob-ops");
    expect(baseUsernameOf({ preferredUsername: null, email: null })).toBeUndefined();
    expect([...usernameCandidates("ada", 3)]).toEqual(["ada", "ada-2", "ada-3"]);
  });

  it("always derives a username Watchword accepts, whatever the provider sends", () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 300 }), { nil: null }), fc.option(fc.string({ maxLength: 300 }), { nil: null }), (preferredUsername, email) => {
        const base = baseUsernameOf({ preferredUsername, email });
        if (base !== undefined) expect(`${base}-50`).toMatch(/^[a-z0-9][a-z0-9._-]{0,63}$/);
      }),
    );
  });

  it("reads claims of the wrong type or size as absent", () => {
    expect(readProviderPerson({ sub: 42 }, "groups")).toBeUndefined();
    expect(readProviderPerson({ sub: "s", email: ["x"], groups: [1, "ops", "x".repeat(201)], preferred_username: "y".repeat(201) }, "groups")).toEqual({
      subject: "s",
      email: null,
      isEmailVerified: false,
      preferredUsername: null,
      name: null,
      groups: ["ops"],
    });
    expect(readProviderPerson({ sub: "s", roles: "ops" }, "roles")?.groups).toEqual(["ops"]);
  });

  it("maps roles (admin first) and groups, keeping only the named groups in step", () => {
    const roles = new Map([["a", "admin"], ["b", "auditor"]] as const);
    expect(roleOf(["b", "a"], roles)).toBe("admin");
    expect(roleOf(["b"], roles)).toBe("auditor");
    expect(roleOf(["c"], roles)).toBe("member");
    const { managed, wanted } = mappedGroupsOf(["ops"], new Map([["admins", ["Administrators"]], ["ops", ["Ops", "On call"]]]));
    expect(managed).toEqual(["Administrators", "Ops", "On call"]);
    expect([...wanted]).toEqual(["ops", "on call"]);
  });

  it("finds an SSO-only domain, its sub-domains too, but not a look-alike", () => {
    expect(ssoOnlyDomainOf("a@corp.example", ["corp.example"])).toBe("corp.example");
    expect(ssoOnlyDomainOf("a@eu.corp.example", ["corp.example"])).toBe("corp.example");
    expect(ssoOnlyDomainOf("a@evilcorp.example", ["corp.example"])).toBeUndefined();
    expect(ssoOnlyDomainOf(null, ["corp.example"])).toBeUndefined();
  });
});
