import { describe, expect, it } from "vitest";
import { ageOf, formatAge } from "../../../web/src/entries/detail/time-text.js";

const now = Date.parse("2026-06-15T12:00:00Z");

describe("how old a seed is, in words", () => {
  it("picks the largest unit that reads naturally", () => {
    expect(ageOf("2026-06-15T11:59:30Z", now)).toEqual({ value: -30, unit: "second" });
    expect(ageOf("2026-06-15T11:15:00Z", now)).toEqual({ value: -45, unit: "minute" });
    expect(ageOf("2026-06-14T14:00:00Z", now)).toEqual({ value: -22, unit: "hour" });
    expect(ageOf("2026-05-01T12:00:00Z", now)).toEqual({ value: -45, unit: "day" });
    expect(ageOf("2026-01-15T12:00:00Z", now)).toEqual({ value: -4, unit: "month" });
    expect(ageOf("2023-06-01T12:00:00Z", now)).toEqual({ value: -3, unit: "year" });
  });

  it("treats a moment just ahead of a slow clock as now", () => {
    expect(ageOf("2026-06-15T12:00:05Z", now)).toEqual({ value: -0, unit: "second" });
  });

  it("says it in the reader's language", () => {
    expect(formatAge("2026-01-15T12:00:00Z", now, "en")).toBe("4 months ago");
    expect(formatAge("2026-01-15T12:00:00Z", now, "fr")).toBe("il y a 4 mois");
  });
});
