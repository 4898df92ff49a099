// The entry_id / folder_id pair in which grants and access requests store what they are about:
// exactly one of the two is set. Read and written here only, so both tables say it the same way.
import type { EntryId, FolderId } from "../core/ids.js";
import type { GrantScope } from "../core/policy-facts.js";

export interface EntryOrFolderColumns {
  readonly entry_id: string | null;
  readonly folder_id: string | null;
}

export const targetOfColumns = (row: EntryOrFolderColumns): GrantScope =>
  row.entry_id !== null ? { kind: "entry", id: row.entry_id as EntryId } : { kind: "folder", id: row.folder_id as FolderId };

export const columnsOfTarget = (target: GrantScope): { entry_id: string | null; folder_id: string | null } => ({
  entry_id: target.kind === "entry" ? target.id : null,
  folder_id: target.kind === "folder" ? target.id : null,
});
