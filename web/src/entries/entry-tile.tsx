// The square with an entry's initial: a quick visual anchor in lists and on the entry's page.
import type { EntrySummary } from "../../../src/contract/entries.js";

export function EntryTile({ entry, size = "s" }: { entry: Pick<EntrySummary, "name" | "issuer">; size?: "s" | "l" }) {
  // The name's initial: it is what people scan the list by.
  const source = entry.name.trim() || (entry.issuer ?? "").trim();
  const initial = [...source][0]?.toLocaleUpperCase() ?? "?";
  return (
    <span className={`entry-tile entry-tile--${size}`} aria-hidden="true">
      {initial}
    </span>
  );
}

/** "Amazon Web Services · root@acme.example", or whichever of the two is known. */
export const issuerAndAccount = (entry: Pick<EntrySummary, "issuer" | "account">): string =>
  [entry.issuer, entry.account].filter((part): part is string => part !== null && part.trim() !== "").join(" · ");
