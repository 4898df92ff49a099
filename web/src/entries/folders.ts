// The folder a form chooses ("no folder", an existing one, or a new one created on submit).
import { client } from "../ui/api-client.js";

export type FolderChoice = { readonly kind: "none" } | { readonly kind: "folder"; readonly id: string } | { readonly kind: "new"; readonly name: string };

export const NO_FOLDER_CHOICE: FolderChoice = { kind: "none" };

export const folderChoiceOf = (folderId: string | null): FolderChoice => (folderId === null ? NO_FOLDER_CHOICE : { kind: "folder", id: folderId });

/** The folder id to send, creating the folder first if the choice is a new one. */
export async function resolveFolder(choice: FolderChoice): Promise<string | null> {
  switch (choice.kind) {
    case "none":
      return null;
    case "folder":
      return choice.id;
    case "new":
      return (await client.createFolder({ name: choice.name.trim() })).id;
  }
}

/**
 * resolveFolder as a form sends: a folder it created becomes the form's choice (`onCreated`), so
 * sending again does not create another; undefined when that failed, after `onFailed` was told.
 */
export async function resolveFolderForForm(
  choice: FolderChoice,
  onFailed: (error: unknown) => void,
  onCreated?: (choice: FolderChoice) => void,
): Promise<string | null | undefined> {
  let folderId: string | null;
  try {
    folderId = await resolveFolder(choice);
  } catch (error) {
    onFailed(error);
    return undefined;
  }
  if (choice.kind === "new" && folderId !== null) onCreated?.({ kind: "folder", id: folderId });
  return folderId;
}
