// "My entries" when one entry's seed is damaged (issue 7): asked for its code, the entry's row says
// why there is none, in the reader's language, while the other entries still give theirs.
import { describe, expect, it } from "vitest";
import { createClient } from "../../src/client/client.js";
import { hasChromium, screenshot } from "../support/browser.js";
import { flipMiddleByte, withRawDatabase } from "../support/raw-database.js";
import { useServedVault } from "../support/served-vault.js";

const PASSWORD = "quarry-nimbus-saddle-63";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe.skipIf(!hasChromium)("a damaged entry on My entries, in Chromium", () => {
  const vault = useServedVault("damaged", [{ username: "ada", role: "admin" }], PASSWORD);

  it("says in French why the damaged entry has no code, and shows the others' codes", async () => {
    const signedIn = await createClient({ baseUrl: vault.server.url }).signIn({ username: "ada", password: PASSWORD, client: "cli" });
    const api = createClient({ baseUrl: vault.server.url, token: signedIn.token! });
    const fine = (await api.createEntry({ name: "Fine portal", seed: { secret: SEED } })).entry;
    const broken = (await api.createEntry({ name: "Broken portal", seed: { secret: SEED } })).entry;
    await withRawDatabase({ kind: "sqlite", dataDir: vault.dataDir, databaseUrl: undefined, postgresSchema: undefined, drop: () => Promise.resolve() }, async (raw) => {
      const row = await raw.selectFrom("entries").select("seed_sealed").where("id", "=", broken.id).executeTakeFirstOrThrow();
      await raw.updateTable("entries").set({ seed_sealed: flipMiddleByte(row.seed_sealed!) }).where("id", "=", broken.id).execute();
    });

    const page = await vault.signIn("ada", { colorScheme: "light", locale: "fr-FR", width: 1280 });
    const row = (id: string) => page.locator(`[data-entry-id="${id}"]`);
    await row(broken.id).getByTestId("show-code").click();
    const problem = row(broken.id).getByRole("alert");
    await problem.waitFor();
    expect((await problem.textContent())?.trim()).toMatch(/^La graine de cette entrée est endommagée et ne peut pas être ouverte/u);
    await row(fine.id).getByTestId("show-code").click();
    await expect.poll(async () => ((await row(fine.id).locator(".entry-row__code").textContent()) ?? "").replace(/\s/g, "")).toMatch(/\d{6}/);
    await screenshot(page, "entries-damaged-seed-fr");
  });
});
