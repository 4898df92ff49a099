import { describe, expect, it } from "vitest";
import { filterEntries, filterFromSearch, isFiltering, matchesQuery, NO_FILTER, NO_FOLDER, searchOfFilter, tagsOf } from "../../../web/src/entries/entry-filters.js";

const entry = (name: string, more: { issuer?: string; account?: string; tags?: string[]; folderId?: string } = {}) => ({
  name,
  issuer: more.issuer ?? null,
  account: more.account ?? null,
  tags: more.tags ?? [],
  folderId: more.folderId ?? null,
});

const aws = entry("AWS root", { issuer: "Amazon Web Services", account: "root@acme.example", tags: ["cloud", "prod"], folderId: "f-cloud" });
const bank = entry("Banque", { issuer: "Société Générale", account: "treasury", tags: ["finance"], folderId: "f-money" });
const slack = entry("Slack", { tags: ["chat"] });
const all = [aws, bank, slack];

describe("filtering My entries", () => {
  it("finds entries by name, issuer, account or tag, ignoring case and accents", () => {
    expect(filterEntries(all, { ...NO_FILTER, query: "aws" })).toEqual([aws]);
    expect(filterEntries(all, { ...NO_FILTER, query: "SOCIETE" })).toEqual([bank]);
    expect(filterEntries(all, { ...NO_FILTER, query: "acme.example" })).toEqual([aws]);
    expect(filterEntries(all, { ...NO_FILTER, query: "chat" })).toEqual([slack]);
  });

  it("needs every word to match", () => {
    expect(matchesQuery(aws, "amazon prod")).toBe(true);
    expect(matchesQuery(aws, "amazon finance")).toBe(false);
    expect(matchesQuery(aws, "   ")).toBe(true);
  });

  it("filters by folder, by no folder, and by tag", () => {
    expect(filterEntries(all, { ...NO_FILTER, folderId: "f-money" })).toEqual([bank]);
    expect(filterEntries(all, { ...NO_FILTER, folderId: NO_FOLDER })).toEqual([slack]);
    expect(filterEntries(all, { ...NO_FILTER, tag: "prod" })).toEqual([aws]);
    expect(filterEntries(all, { query: "a", folderId: "f-cloud", tag: "finance" })).toEqual([]);
  });

  it("knows when nothing is filtered", () => {
    expect(filterEntries(all, NO_FILTER)).toEqual(all);
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(isFiltering({ ...NO_FILTER, query: "  " })).toBe(false);
    expect(isFiltering({ ...NO_FILTER, tag: "prod" })).toBe(true);
  });

  it("lists every tag once, alphabetically", () => {
    expect(tagsOf(all)).toEqual(["chat", "cloud", "finance", "prod"]);
  });

  it("keeps the filter in the address and reads it back, leaving empty values out", () => {
    expect(searchOfFilter(NO_FILTER)).toBe("");
    expect(filterFromSearch(new URLSearchParams(""))).toEqual(NO_FILTER);
    const filter = { query: "société & co", folderId: NO_FOLDER, tag: "prod/eu" };
    expect(searchOfFilter(filter)).toBe("?q=soci%C3%A9t%C3%A9+%26+co&folder=none&tag=prod%2Feu");
    expect(filterFromSearch(new URLSearchParams(searchOfFilter(filter)))).toEqual(filter);
    expect(searchOfFilter({ ...NO_FILTER, tag: "dev" })).toBe("?tag=dev");
  });

  it("ignores address parameters it does not know", () => {
    expect(filterFromSearch(new URLSearchParams("?utm_source=mail&q=aws"))).toEqual({ ...NO_FILTER, query: "aws" });
  });
});
