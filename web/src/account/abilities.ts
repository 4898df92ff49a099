// What the signed-in person's role may do, answered by the same function the server asks
// (src/core/policy.ts), so each page offers only the actions that would succeed.
import type { FolderId, UserId } from "../../../src/core/ids.js";
import { decide, type PolicyActor } from "../../../src/core/policy.js";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { useSession } from "./session.js";

export interface Abilities {
  /** Add entries (they then own them) and import exports: administrators and members. */
  readonly canAddEntries: boolean;
  /** Create, rename and delete folders; define, edit and delete templates: administrators. */
  readonly canManageCatalog: boolean;
  /** Ask for access to an entry or a folder: administrators and members. */
  readonly canRequestAccess: boolean;
  /** Read, filter, export and verify the audit log: administrators and auditors. */
  readonly canReadAudit: boolean;
}

const NOTHING: Abilities = { canAddEntries: false, canManageCatalog: false, canRequestAccess: false, canReadAudit: false };

export function abilitiesOf(session: SessionInfo | undefined): Abilities {
  if (session === undefined) return NOTHING;
  // Vault-wide questions: no entry, grants or groups involved, and the clock does not matter.
  const subject: PolicyActor = { kind: "user", userId: session.user.id as UserId, role: session.user.role, groupIds: [], isDisabled: false };
  const vault = { kind: "vault" } as const;
  // Who may ask does not depend on the folder asked for.
  const anyFolder = { kind: "folder", id: "" as FolderId, approverGroupId: null } as const;
  return {
    canAddEntries: decide(subject, "create_entry", vault, [], 0).allowed,
    canManageCatalog: decide(subject, "admin", vault, [], 0).allowed,
    canRequestAccess: decide(subject, "request", anyFolder, [], 0).allowed,
    canReadAudit: decide(subject, "audit.read", vault, [], 0).allowed,
  };
}

export function useAbilities(): Abilities {
  const { state } = useSession();
  return abilitiesOf(state.status === "signed-in" ? state.session : undefined);
}
