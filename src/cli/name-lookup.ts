// Turns what a person types (an id, a name in any case, or enough of a name to tell it apart)
// into one entry or folder, or says plainly why it cannot: nothing by that name, or several —
// naming the closest few to choose from.
import leven from "leven";
import type { WatchwordClient } from "../client/client.js";
import type { EntrySummary, Folder } from "../contract/entries.js";
import { conflict, invalidInput, notFound } from "../core/errors.js";
import { printable } from "./text-output.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const NOT_WORD = /[^\p{L}\p{N}]+/u;
/** How many names a "did you mean" offers. */
const SUGGESTIONS = 3;

/** Names as they are compared: NFC, zero-width characters gone, runs of spaces as one, in lower case. */
export const comparableName = (name: string): string => name.normalize("NFC").replace(ZERO_WIDTH, "").replace(/\s+/g, " ").trim().toLowerCase();

const isWordEdge = (text: string, index: number): boolean =>
  index <= 0 || index >= text.length || !WORD_CHARACTER.test(text[index - 1]!) || !WORD_CHARACTER.test(text[index]!);

/** "aws" names "AWS root" (its start) and "Prod AWS" (a whole word); "ws" names neither. */
function isNamedBy(name: string, query: string): boolean {
  if (name.startsWith(query)) return true;
  for (let at = name.indexOf(query); at !== -1; at = name.indexOf(query, at + 1)) {
    if (isWordEdge(name, at) && isWordEdge(name, at + query.length)) return true;
  }
  return false;
}

/** Edit distance to the closest of the whole name, its start and its words: "awz" is close to "AWS root". */
function distanceTo(name: string, query: string): number {
  const parts = [name, name.slice(0, query.length), ...name.split(NOT_WORD).filter((word) => word !== "")];
  return Math.min(...parts.map((part) => leven(query, part)));
}

interface Named {
  readonly id: string;
  readonly name: string;
}

/** `"X", "Y", "Z"`: the closest few, with their ids where two of them share a name. */
function closestNames(items: readonly Named[], query: string): string {
  const ranked = items
    .map((item) => ({ item, name: comparableName(item.name) }))
    .map(({ item, name }) => ({ item, distance: distanceTo(name, query), whole: leven(query, name) }))
    .sort((a, b) => a.distance - b.distance || a.whole - b.whole || a.item.name.localeCompare(b.item.name))
    .slice(0, SUGGESTIONS)
    .map(({ item }) => item);
  const isShared = (item: Named): boolean => ranked.filter((other) => comparableName(other.name) === comparableName(item.name)).length > 1;
  return ranked.map((item) => `"${printable(item.name.slice(0, 80))}"${isShared(item) ? ` (${item.id})` : ""}`).join(", ");
}

const PLURAL = { entry: "entries", folder: "folders", group: "groups", user: "users" } as const;

function findOne<T extends Named>(items: readonly T[], reference: string, kind: keyof typeof PLURAL, isPartialAllowed: boolean): T {
  const wanted = reference.trim();
  if (wanted === "") throw invalidInput(`Give the ${kind}'s name or id.`, kind);
  if (UUID.test(wanted)) {
    const byId = items.find((item) => item.id.toLowerCase() === wanted.toLowerCase());
    if (byId !== undefined) return byId;
  }
  const query = comparableName(wanted);
  const shown = printable(wanted.slice(0, 200));
  const kinds = PLURAL[kind];
  const exact = items.filter((item) => comparableName(item.name) === query);
  const [first] = exact;
  if (first !== undefined && exact.length === 1) return first;
  if (first !== undefined) {
    throw conflict(`${exact.length} ${kinds} are named "${printable(first.name)}": use one of their ids: ${exact.map((m) => m.id).join(", ")}.`, kind);
  }
  if (UUID.test(wanted)) throw notFound(`No ${kind} with id ${shown} that you may use.`);
  const partial = isPartialAllowed ? items.filter((item) => isNamedBy(comparableName(item.name), query)) : [];
  if (partial.length === 1) return partial[0]!;
  if (partial.length > 1) throw conflict(`"${shown}" matches ${partial.length} ${kinds}: did you mean ${closestNames(partial, query)}?`, kind);
  // Only names within a typo or two (one edit per three characters) are offered: none at all says more than noise.
  const near = items.filter((item) => distanceTo(comparableName(item.name), query) <= Math.max(1, Math.floor(query.length / 3)));
  throw notFound(`No ${kind} named "${shown}"${near.length === 0 ? "." : `: did you mean ${closestNames(near, query)}?`}`);
}

/** An entry by id, by its name in any case, or by a start or whole word of its name that no other entry has. */
export const findEntry = (entries: readonly EntrySummary[], reference: string): EntrySummary => findOne(entries, reference, "entry", true);

/** A folder by id or by its whole name in any case (an import creates the folder a new name names). */
export const findFolder = (folders: readonly Folder[], reference: string): Folder => findOne(folders, reference, "folder", false);

/** A group by id or by its whole name in any case. */
export const findGroup = <T extends Named>(groups: readonly T[], reference: string): T => findOne(groups, reference, "group", false);

/** A user by id or by username (in any case). */
export const findUser = <T extends { readonly id: string; readonly username: string }>(users: readonly T[], reference: string): T => {
  const named = users.map((user) => ({ id: user.id, name: user.username, user }));
  return findOne(named, reference, "user", false).user;
};

/** What an import's --folder names: a folder that exists, or one to create when the import is confirmed. */
export type ImportFolder = { readonly id: string; readonly name: string; readonly isNew: false } | { readonly name: string; readonly isNew: true };

/** An existing folder by id or name, else (for a name, not an id) a new folder of that name; undefined without --folder. */
export async function importFolderOf(client: WatchwordClient, reference: string | undefined): Promise<ImportFolder | undefined> {
  if (reference === undefined) return undefined;
  const { folders } = await client.listFolders();
  const wanted = reference.trim();
  if (UUID.test(wanted) || folders.some((folder) => comparableName(folder.name) === comparableName(wanted))) {
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
