// What the signed-in person's role may do, answered by the same rules the server applies
// (src/core/entry-access.ts), so each page offers only the actions that would succeed.
import { canAdminister, canCreateEntries } from "../../../src/core/entry-access.js";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { useSession } from "./session.js";

export interface Abilities {
  /** Add entries (they then own them) and import exports: administrators and members. */
  readonly canAddEntries: boolean;
  /** Create, rename and delete folders; define, edit and delete templates: administrators. */
  readonly canManageCatalog: boolean;
}

const NOTHING: Abilities = { canAddEntries: false, canManageCatalog: false };

export function abilitiesOf(session: SessionInfo | undefined): Abilities {
  if (session === undefined) return NOTHING;
  const subject = { userId: session.user.id, role: session.user.role };
  return { canAddEntries: canCreateEntries(subject), canManageCatalog: canAdminister(subject) };
}

export function useAbilities(): Abilities {
  const { state } = useSession();
  return abilitiesOf(state.status === "signed-in" ? state.session : undefined);
}
