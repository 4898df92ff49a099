// What Watchword makes of a person an OpenID Connect provider vouches for: the username a new
// user gets, the role and the Watchword groups the provider's groups map to, and whether an
// e-mail domain signs in through single sign-on only. Pure: no I/O.
/** The roles a vault user can have (the store's Role). */
type Role = "admin" | "member" | "auditor";

/** The claims Watchword reads, from the ID token and the userinfo reply, each checked for shape. */
export interface ProviderPerson {
  readonly subject: string;
  readonly email: string | null;
  readonly isEmailVerified: boolean;
  readonly preferredUsername: string | null;
  readonly name: string | null;
  readonly groups: readonly string[];
}

const MAX_GROUPS = 1000;
const stringClaim = (value: unknown, max: number): string | null => (typeof value === "string" && value.trim() !== "" && value.length <= max ? value.trim() : null);

/** Reads the claims; a claim of the wrong type or size counts as absent rather than failing the sign-in. */
export function readProviderPerson(claims: Readonly<Record<string, unknown>>, groupsClaim: string): ProviderPerson | undefined {
  const subject = stringClaim(claims.sub, 255);
  if (subject === null) return undefined;
  const email = stringClaim(claims.email, 254);
  const raw = claims[groupsClaim];
  const list = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw.slice(0, MAX_GROUPS) : [];
  return {
    subject,
    email: email !== null && /^[^\s@]+@[^\s@]+$/.test(email) ? email.toLowerCase() : null,
    isEmailVerified: claims.email_verified === true,
    preferredUsername: stringClaim(claims.preferred_username, 200),
    name: stringClaim(claims.name, 200),
    groups: list.filter((group): group is string => typeof group === "string" && group.length <= 200),
  };
}

/** A username Watchword accepts (core/password-policy.ts's pattern), from what the provider says; undefined when nothing usable. */
export function baseUsernameOf(person: Pick<ProviderPerson, "preferredUsername" | "email">): string | undefined {
  for (const source of [person.preferredUsername, person.email?.split("@")[0] ?? null]) {
    if (source === null) continue;
    const cleaned = source
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[^a-z0-9]+/, "")
      .replace(/[._-]+$/, "")
      .slice(0, 56);
    if (cleaned !== "") return cleaned;
  }
  return undefined;
}

/** The names tried in turn for a new user: the base, then base-2, base-3… */
export function* usernameCandidates(base: string, tries = 50): Generator<string> {
  yield base;
  for (let n = 2; n <= tries; n++) yield `${base}-${n}`;
}

/** A new user's role: the highest a provider group maps to (admin, then auditor), else member. */
export function roleOf(groups: readonly string[], roleMap: ReadonlyMap<string, Role>): Role {
  const roles = new Set(groups.map((group) => roleMap.get(group)).filter((role) => role !== undefined));
  return roles.has("admin") ? "admin" : roles.has("auditor") ? "auditor" : "member";
}

/**
 * The Watchword groups single sign-on keeps in step (every name the map gives, compared by their
 * lower case) and the ones this person belongs in; groups the map does not name are left alone.
 */
export function mappedGroupsOf(groups: readonly string[], groupMap: ReadonlyMap<string, readonly string[]>): { readonly managed: readonly string[]; readonly wanted: ReadonlySet<string> } {
  const managed = new Map<string, string>();
  for (const names of groupMap.values()) for (const name of names) if (!managed.has(name.toLowerCase())) managed.set(name.toLowerCase(), name);
  const wanted = new Set<string>();
  for (const group of groups) for (const name of groupMap.get(group) ?? []) wanted.add(name.toLowerCase());
  return { managed: [...managed.values()], wanted };
}

/** The SSO-only domain an e-mail address belongs to (the domain itself or one below it), if any. */
export function ssoOnlyDomainOf(email: string | null, domains: readonly string[]): string | undefined {
  if (email === null) return undefined;
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return domains.find((d) => domain === d || domain.endsWith(`.${d}`));
}
