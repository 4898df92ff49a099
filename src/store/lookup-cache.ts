// Answers the look-ups every request makes (its session, its user, the entry it asks for) from
// memory for as long as nothing that could change them has been written.
//
// On SQLite these look-ups were the largest cost of the code endpoint after the audit write:
// three primary-key reads per request, 10–20 µs each while audit events stream into the WAL.
// Nothing here guesses with a time-to-live; the cache empties when:
// - this process writes anything other than an audit event (the connection reports every write
//   statement, see connect.ts), before the write's transaction can commit;
// - any other connection or process has committed (`PRAGMA data_version` changes,
//   https://sqlite.org/pragma.html#pragma_data_version). That is checked once per event-loop turn:
//   the requests handled in a turn arrived before the check, so a commit the check misses was
//   concurrent with them, and either answer is correct for a concurrent request.
// PostgreSQL has no such signal between nodes, so it has no cache (DESIGN.md: no node-local state
// may break correctness).
import type { EntryId, GroupId, UserId } from "../core/ids.js";
import type { PrincipalSet } from "../core/policy-rule.js";
import type { EntryAccessFacts } from "./access-policies.js";
import type { EntryRecord } from "./entries.js";
import type { SessionRecord } from "./sessions.js";
import type { UserRecord } from "./users.js";

export interface CachedLookups {
  findSession(idHash: string): Promise<SessionRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  findEntry(id: string): Promise<EntryRecord | undefined>;
  listGroupIdsOfUser(userId: UserId): Promise<GroupId[]>;
  /** Grants are written like anything else, so a grant given, revoked or expired is seen at the next request. */
  loadEntryAccess(entryId: EntryId, principals: PrincipalSet | "anyone"): Promise<EntryAccessFacts | undefined>;
}

export interface LookupCache extends CachedLookups {
  /** Forgets everything: called when this process writes something the look-ups could read. */
  invalidate(): void;
}

/** Bounds memory when nothing is written for a long time while many distinct keys are read. */
const MAX_ENTRIES_PER_KIND = 10_000;

export function createLookupCache(deps: {
  /** Changes whenever another connection has committed (SQLite's `PRAGMA data_version`). */
  foreignVersion: () => number;
  /** The uncached look-ups. */
  load: CachedLookups;
}): LookupCache {
  const { foreignVersion, load } = deps;
  let version = foreignVersion();
  /** Bumped by every invalidation: a read that started before one is not kept. */
  let generation = 0;
  let checkedThisTurn = false;
  const caches = {
    session: new Map<string, Promise<unknown>>(),
    user: new Map<string, Promise<unknown>>(),
    entry: new Map<string, Promise<unknown>>(),
    groups: new Map<string, Promise<unknown>>(),
    access: new Map<string, Promise<unknown>>(),
  };

  function invalidate(): void {
    generation += 1;
    for (const cache of Object.values(caches)) cache.clear();
  }

  function checkForeignCommits(): void {
    if (checkedThisTurn) return;
    checkedThisTurn = true;
    setImmediate(() => (checkedThisTurn = false));
    const now = foreignVersion();
    if (now !== version) {
      version = now;
      invalidate();
    }
  }

  /** A look-up by `keyOf(args)`, answered from memory while nothing it could read has changed. */
  function cached<A extends unknown[], T extends object | undefined>(kind: keyof typeof caches, keyOf: (...args: A) => string, loader: (...args: A) => Promise<T>) {
    // Promises are kept, so callers asking for one key while it loads share one read.
    const cache = caches[kind] as Map<string, Promise<T>>;
    return (...args: A): Promise<T> => {
      checkForeignCommits();
      const key = keyOf(...args);
      const known = cache.get(key);
      if (known !== undefined) return known;
      if (cache.size >= MAX_ENTRIES_PER_KIND) cache.clear();
      const started = generation;
      // A record is shared between requests, so it is frozen.
      const loading = loader(...args).then((value) => (value === undefined ? value : deepFreeze(value)));
      cache.set(key, loading);
      const forget = () => {
        if (cache.get(key) === loading) cache.delete(key);
      };
      loading.then(() => (generation === started ? undefined : forget()), forget);
      return loading;
    };
  }

  const byId = (id: string) => id;
  return {
    invalidate,
    findSession: cached("session", byId, (key) => load.findSession(key)),
    findUserById: cached("user", byId, (key) => load.findUserById(key)),
    findEntry: cached("entry", byId, (key) => load.findEntry(key)),
    listGroupIdsOfUser: cached("groups", byId, (userId: UserId) => load.listGroupIdsOfUser(userId)),
    loadEntryAccess: cached("access", principalKey, (entryId: EntryId, principals: PrincipalSet | "anyone") => load.loadEntryAccess(entryId, principals)),
  };
}

/** "anyone" (every grant on the entry) is keyed apart: no principal set joins to "\u0001". */
const principalKey = (entryId: string, p: PrincipalSet | "anyone"): string => (p === "anyone" ? `${entryId}\u0000\u0001` : [entryId, p.userId ?? "", p.serviceAccountId ?? "", ...p.groupIds].join("\u0000"));

function deepFreeze<T extends object>(value: T): T {
  for (const member of Object.values(value)) {
    if (typeof member === "object" && member !== null && !Object.isFrozen(member) && !ArrayBuffer.isView(member)) deepFreeze(member as object);
  }
  return Object.freeze(value);
}
