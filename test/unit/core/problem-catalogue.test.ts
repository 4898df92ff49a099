import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { conflict, invalidInput, problem, tooManyRequests } from "../../../src/core/errors.js";
import { PROBLEM_CATALOGUE, PROBLEM_KEYS, renderProblem, type ProblemTemplate } from "../../../src/core/problems/catalogue.js";

const sentencesOf = (template: ProblemTemplate): string[] => (typeof template === "string" ? [template] : [template.one, template.other]);
const namesIn = (sentence: string): string[] => [...sentence.matchAll(/{{\s*(\w+)\s*(?:,\s*\w+\s*)?}}/g)].map((match) => match[1]!).sort();

describe("the problem catalogue", () => {
  it("says a wait of one second and of several in the right English form", () => {
    expect(renderProblem(problem("sign_in_throttled", { count: 1 }))).toBe("Too many failed sign-ins. Try again in 1 second.");
    expect(renderProblem(problem("sign_in_throttled", { count: 2 }))).toBe("Too many failed sign-ins. Try again in 2 seconds.");
    expect(renderProblem(problem("sign_in_throttled", { count: 0 }))).toBe("Too many failed sign-ins. Try again in 0 seconds.");
    expect(renderProblem(problem("folder_not_empty", { name: "Ops", count: 1 }))).toMatch(/still holds 1 entry\. Move it/);
    expect(renderProblem(problem("folder_not_empty", { name: "Ops", count: 3 }))).toMatch(/still holds 3 entries\. Move them/);
  });

  it("puts parameters in once, without reading placeholders inside them", () => {
    expect(renderProblem(problem("folder_name_taken", { name: "{{name}} and {{count}}" }))).toBe('A folder named "{{name}} and {{count}}" already exists.');
  });

  it("groups the digits of parameters marked as numbers", () => {
    expect(renderProblem(problem("link_too_long", { length: 12345, max: 4096 }))).toBe("The link is 12,345 characters long; expected at most 4,096.");
  });

  it("gives plural sentences a count and both forms the same other parameters", () => {
    for (const key of PROBLEM_KEYS) {
      const template: ProblemTemplate = PROBLEM_CATALOGUE[key];
      if (typeof template === "string") {
        expect(template, key).not.toMatch(/{{\s*count\s*}}/);
        continue;
      }
      expect(namesIn(template.one), key).toContain("count");
      expect(namesIn(template.one), key).toEqual(namesIn(template.other));
    }
  });

  it("writes every sentence as one sentence for a person: a capital first, a full stop last, no stray braces", () => {
    for (const key of PROBLEM_KEYS) {
      expect(key, key).toMatch(/^[a-z][a-z0-9_]*[a-z0-9]$/);
      for (const sentence of sentencesOf(PROBLEM_CATALOGUE[key])) {
        expect(sentence, key).toMatch(/^(\p{Lu}|\{\{|`)/u);
        expect(sentence, key).toMatch(/[.)]$/);
        expect(sentence.replace(/{{\s*\w+\s*(,\s*\w+\s*)?}}/g, ""), key).not.toMatch(/[{}]/);
      }
    }
  });

  it("makes errors that carry the key and parameters with the English sentence as their message", () => {
    const error = conflict(problem("entry_name_taken", { name: "AWS root" }), "name");
    expect(error).toMatchObject({ code: "conflict", key: "entry_name_taken", params: { name: "AWS root" }, details: { field: "name" } });
    expect(error.message).toBe('An entry named "AWS root" already exists in this folder.');
    expect(tooManyRequests(problem("sign_in_throttled", { count: 4 }), 4).details.retryAfterSeconds).toBe(4);
  });

  it("still takes a plain sentence, which then has no key", () => {
    const error = invalidInput("Something only English says.", "field");
    expect(error.key).toBeUndefined();
    expect(error.problemText).toBeUndefined();
    expect(error.message).toBe("Something only English says.");
  });

  it("is what every refusal the server can send is made from: no code outside the CLI throws a plain sentence", () => {
    const root = join(import.meta.dirname, "../../../src");
    // A sentence given as text, right after the factory's parenthesis or the error code (a long call is wrapped).
    const plain = /\b(?:invalidInput|unauthenticated|forbidden|notFound|conflict|unsupportedMediaType|tooManyRequests|unavailable|sealed|internal)\(\s*[`"']|new WatchwordError\(\s*"\w+",\s*[`"']/gu;
    const offenders = ["core", "crypto", "services", "server", "store", "contract", "client"]
      .flatMap((folder) => readdirSync(join(root, folder), { recursive: true, encoding: "utf8" }).map((name) => join(root, folder, name)))
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) => {
        const source = readFileSync(file, "utf8");
        return [...source.matchAll(plain)].map((match) => `${relative(root, file)}:${source.slice(0, match.index).split("\n").length}`);
      });
    expect(offenders).toEqual([]);
  });
});
