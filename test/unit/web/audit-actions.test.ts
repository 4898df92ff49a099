import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { actionGroupsOf, actionLabelOf, actionParts, AUDIT_ACTIONS, type CatalogueLookup } from "../../../web/src/audit/action-labels.js";
import { targetTextOf } from "../../../web/src/audit/event-text.js";

type Catalogue = { readonly [key: string]: string | Catalogue };

/** A lookup into one of the web app's real catalogues, as i18next reads it (dots walk the tree; only sentences count). */
function lookupIn(language: "en" | "fr"): CatalogueLookup {
  const catalogue = JSON.parse(readFileSync(new URL(`../../../web/src/i18n/${language}.json`, import.meta.url), "utf8")) as Catalogue;
  return (path) => {
    let node: string | Catalogue | undefined = catalogue;
    for (const part of path.split(".")) node = typeof node === "object" ? node[part] : undefined;
    return typeof node === "string" ? node : undefined;
  };
}
const en = lookupIn("en");
const fr = lookupIn("fr");

describe("audit action labels", () => {
  it("say every action the viewer offers, in English and in French, each differently from the raw action", () => {
    for (const action of AUDIT_ACTIONS) {
      for (const lookup of [en, fr]) expect(actionLabelOf(action, lookup), action).not.toBe(action);
    }
    expect(actionLabelOf("code.issued", en)).toBe("Code handed out");
    expect(actionLabelOf("code.issued", fr)).toBe("Code remis");
  });

  it("have no label for an action the viewer does not offer (so the catalogue and the list agree)", () => {
    for (const name of ["en", "fr"] as const) {
      const catalogue = JSON.parse(readFileSync(new URL(`../../../web/src/i18n/${name}.json`, import.meta.url), "utf8")) as { audit: { actions: Record<string, Record<string, string>> } };
      const said = Object.entries(catalogue.audit.actions).flatMap(([area, verbs]) => Object.keys(verbs).map((verb) => `${area}.${verb}`));
      expect(said.sort(), name).toEqual([...AUDIT_ACTIONS].sort());
    }
  });

  it("show an action they do not know as the server wrote it", () => {
    expect(actionLabelOf("quorum.export_released", en)).toBe("quorum.export_released");
    expect(actionLabelOf("code", en)).toBe("code");
    expect(actionLabelOf("code.issued.twice", en)).toBe("code.issued.twice");
    expect(actionLabelOf("Code.Issued", fr)).toBe("Code.Issued");
    expect(actionLabelOf("", en)).toBe("");
    // A path that reaches a whole group of the catalogue is not a sentence.
    expect(actionLabelOf("audit.actions", en)).toBe("audit.actions");
    expect(actionParts("code.issued")).toEqual(["code", "issued"]);
    expect(actionParts("code")).toBeUndefined();
  });

  it("group the filter's choices by area, adding an unknown current action at the end", () => {
    const groups = actionGroupsOf(en);
    expect(groups[0]).toEqual({ area: "code", label: "Codes", actions: [{ action: "code.issued", label: "Code handed out" }] });
    expect(groups.flatMap((group) => group.actions.map((a) => a.action))).toEqual([...AUDIT_ACTIONS]);
    const withUnknown = actionGroupsOf(fr, "quorum.export_released");
    expect(withUnknown.at(-1)).toEqual({ area: "quorum", label: "quorum", actions: [{ action: "quorum.export_released", label: "quorum.export_released" }] });
    expect(actionGroupsOf(fr, "code.issued").flatMap((group) => group.actions)).toHaveLength(AUDIT_ACTIONS.length);
  });
});

describe("what an event's row and detail say", () => {
  it("names the target, else the entry, else nothing", () => {
    expect(targetTextOf({ target: { type: "user", id: "u-1", name: "bob" }, entry: null })).toBe("bob");
    expect(targetTextOf({ target: { type: "user", id: "u-1", name: null }, entry: null })).toBe("u-1");
    expect(targetTextOf({ target: null, entry: { id: "e-1", name: "AWS root" } })).toBe("AWS root");
    expect(targetTextOf({ target: null, entry: null })).toBeUndefined();
  });

});
