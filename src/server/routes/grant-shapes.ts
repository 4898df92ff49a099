// Grants, principals and folder pages from the services, in the contract's reply shapes.
import type { FolderPage, GrantView, NamedPrincipal, SharedWith } from "../../contract/grants.js";
import type { Instant } from "../../core/policy.js";
import { isGrantLive } from "../../core/policy-rule.js";
import type { FolderPageView } from "../../services/grants.js";
import type { GrantViewRecord, NamedPrincipalRecord } from "../../store/grant-directory.js";

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export const namedPrincipalOf = (p: NamedPrincipalRecord): NamedPrincipal => ({ kind: p.kind, id: p.id, name: p.name, detail: p.detail });

const principalOfGrant = (g: GrantViewRecord): NamedPrincipal => ({ kind: g.principal.kind, id: g.principal.id, name: g.principalName, detail: g.principalDetail });

export const grantViewOf = (g: GrantViewRecord, now: Instant): GrantView => ({
  id: g.id,
  principal: principalOfGrant(g),
  scope: { kind: g.scope.kind, id: g.scope.id, name: g.scopeName },
  permission: g.permission,
  state: g.revokedAt !== null ? "revoked" : isGrantLive(g, now) ? "live" : "expired",
  expiresAt: isoOrNull(g.expiresAt),
  createdAt: iso(g.createdAt),
  grantedBy: g.createdBy === null ? null : { id: g.createdBy, name: g.createdByName ?? g.createdBy },
  revokedAt: isoOrNull(g.revokedAt),
  revokedBy: g.revokedBy === null ? null : { id: g.revokedBy, name: g.revokedByName ?? g.revokedBy },
  fromAccessRequest: g.accessRequestId !== null,
});

export const sharedWithOf = (g: GrantViewRecord): SharedWith => ({
  grantId: g.id,
  principal: principalOfGrant(g),
  permission: g.permission,
  via: g.scope.kind,
  expiresAt: isoOrNull(g.expiresAt),
});

export const folderPageOf = (page: FolderPageView, now: Instant): FolderPage => ({
  id: page.id,
  name: page.name,
  entryCount: page.entryCount,
  approverGroup: page.approverGroup === null ? null : { ...page.approverGroup },
  grants: page.grants.map((g) => grantViewOf(g, now)),
  canGrant: page.canGrant,
  canAdminister: page.canAdminister,
});
