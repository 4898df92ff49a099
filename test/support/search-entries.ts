// Three entries, as the search rule and the web's filters see them (name, issuer, account, tags,
// folder), shared by their unit tests: an accented issuer, tags, one with no issuer.
export const searchEntry = (name: string, more: { issuer?: string; account?: string; tags?: string[]; folderId?: string } = {}) => ({
  name,
  issuer: more.issuer ?? null,
  account: more.account ?? null,
  tags: more.tags ?? [],
  folderId: more.folderId ?? null,
});

export const aws = searchEntry("AWS root", { issuer: "Amazon Web Services", account: "root@acme.example", tags: ["cloud", "prod"], folderId: "f-cloud" });
export const bank = searchEntry("Banque", { issuer: "Société Générale", account: "treasury", tags: ["finance"], folderId: "f-money" });
export const slack = searchEntry("Slack", { tags: ["chat"] });
export const all = [aws, bank, slack];
