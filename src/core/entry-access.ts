// Who may do what with an entry. For now: administrators everything, an entry's owner their own
// entries. Grants and access requests (a later issue) extend these two questions.
export interface AccessSubject {
  readonly userId: string;
  readonly role: "admin" | "member" | "auditor";
}

export interface OwnedEntry {
  readonly ownerId: string;
}

/** May get codes and reveal the next recovery code. */
export const canUseEntry = (subject: AccessSubject, entry: OwnedEntry): boolean => subject.role === "admin" || entry.ownerId === subject.userId;

/** May edit, overwrite the seed, reveal all recovery codes, delete. */
export const canManageEntry = (subject: AccessSubject, entry: OwnedEntry): boolean => subject.role === "admin" || entry.ownerId === subject.userId;

/** May create folders and templates. */
export const canAdminister = (subject: AccessSubject): boolean => subject.role === "admin";

/** May create entries (they then own them). Auditors read; they do not hold secrets. */
export const canCreateEntries = (subject: AccessSubject): boolean => subject.role !== "auditor";
