// Turns what a person types (an id, or a name in any case) into one entry or folder, or says
// plainly why it cannot: nothing by that name, or several — listing their ids to choose from.
import type { WatchwordClient } from "../client/client.js";
import type { EntrySummary, Folder } from "../contract/entries.js";
import { conflict, invalidInput, notFound } from "../core/errors.js";
import { printable } from "./text-output.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const sameName = (a: string, b: string): boolean => a.normalize("NFC").toLowerCase() === b.normalize("NFC").toLowerCase();

function findOne<T extends { id: string; name: string }>(items: readonly T[], reference: string, kind: "entry" | "folder"): T {
  const wanted = reference.trim();
  if (wanted === "") throw invalidInput(`Give the ${kind}'s name or id.`, kind);
  if (UUID.test(wanted)) {
    const byId = items.find((item) => item.id.toLowerCase() === wanted.toLowerCase());
    if (byId !== undefined) return byId;
  }
  const matches = items.filter((item) => sameName(item.name, wanted));
  const [first] = matches;
  if (first === undefined) {
    const shown = printable(wanted.slice(0, 200));
    throw notFound(UUID.test(wanted) ? `No ${kind} with id ${shown} that you may use.` : `No ${kind} named "${shown}".`);
  }
  if (matches.length > 1) {
    throw conflict(`${matches.length} ${kind === "entry" ? "entries" : "folders"} are named "${printable(first.name)}": use one of their ids: ${matches.map((m) => m.id).join(", ")}.`, kind);
  }
  return first;
}

export const findEntry = (entries: readonly EntrySummary[], reference: string): EntrySummary => findOne(entries, reference, "entry");

export const findFolder = (folders: readonly Folder[], reference: string): Folder => findOne(folders, reference, "folder");

/** What an import's --folder names: a folder that exists, or one to create when the import is confirmed. */
export type ImportFolder = { readonly id: string; readonly name: string; readonly isNew: false } | { readonly name: string; readonly isNew: true };

/** An existing folder by id or name, else (for a name, not an id) a new folder of that name; undefined without --folder. */
export async function importFolderOf(client: WatchwordClient, reference: string | undefined): Promise<ImportFolder | undefined> {
  if (reference === undefined) return undefined;
  const { folders } = await client.listFolders();
  const wanted = reference.trim();
  if (UUID.test(wanted) || folders.some((folder) => sameName(folder.name, wanted))) {
    const folder = findFolder(folders, wanted);
    return { id: folder.id, name: folder.name, isNew: false };
  }
  if (wanted === "") throw invalidInput("Give the folder's name or id.", "folder");
  return { name: wanted, isNew: true };
}

/** The id of the folder named by --folder, or undefined when the flag was not given. */
export async function folderIdOf(client: WatchwordClient, reference: string | undefined): Promise<string | undefined> {
  if (reference === undefined) return undefined;
  const { folders } = await client.listFolders();
  return findFolder(folders, reference).id;
}
