import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  activeFilterCount,
  auditExportHrefOf,
  auditPathOf,
  auditQueryOf,
  cleanAuditFilters,
  isoOfLocalInput,
  isoTimeOf,
  localInputOf,
  parseAuditFilters,
} from "../../../web/src/audit/audit-filters.js";

const ENTRY = "0b6f1c9e-8d1a-4c55-9a51-3f0c2e7d9b10";
const FOLDER = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

describe("the audit viewer's filters in the address", () => {
  it("reads every filter it knows, in a fixed order, and writes them back the same", () => {
    const search = new URLSearchParams(`until=2026-12-01T10:00:00Z&channel=api&outcome=denied&action=code.issued&folder=${FOLDER}&entry=${ENTRY}&actor=ada&since=2026-11-30T23:00:00.000Z`);
    const filters = parseAuditFilters(search);
    expect(filters).toEqual({ actor: "ada", entry: ENTRY, folder: FOLDER, action: "code.issued", outcome: "denied", channel: "api", since: "2026-11-30T23:00:00.000Z", until: "2026-12-01T10:00:00.000Z" });
    expect(auditPathOf(filters)).toBe(
      `/audit?actor=ada&entry=${ENTRY}&folder=${FOLDER}&action=code.issued&outcome=denied&channel=api&since=2026-11-30T23%3A00%3A00.000Z&until=2026-12-01T10%3A00%3A00.000Z`,
    );
    expect(parseAuditFilters(new URL(auditPathOf(filters), "http://x").searchParams)).toEqual(filters);
    expect(activeFilterCount(filters)).toBe(8);
  });

  it("drops what the server would refuse instead of sending it: malformed ids, unknown outcomes and channels, times without a zone, foreign parameters", () => {
    const search = new URLSearchParams("entry=not-a-uuid&folder=1&action=Code Issued&outcome=maybe&channel=fax&since=2026-12-01T10:00&until=yesterday&cursor=abc&limit=9999&actor=");
    expect(parseAuditFilters(search)).toEqual({});
    expect(parseAuditFilters(new URLSearchParams(`actor=${"a".repeat(201)}`))).toEqual({});
    expect(parseAuditFilters(new URLSearchParams(`action=${"a".repeat(65)}`))).toEqual({});
    expect(auditPathOf({})).toBe("/audit");
    expect(activeFilterCount({})).toBe(0);
  });

  it("keeps an actor's name as recorded, trimmed, with the characters a name may hold", () => {
    expect(parseAuditFilters(new URLSearchParams("actor=%20Zoé%20O’Brien%20&entry=" + ENTRY.toUpperCase()))).toEqual({ actor: "Zoé O’Brien", entry: ENTRY });
  });

  it("cleans a form's values as reading them back would", () => {
    expect(cleanAuditFilters({ actor: "  ", action: "code.issued", outcome: undefined, since: "2026-12-01T10:00:00+01:00" })).toEqual({ action: "code.issued", since: "2026-12-01T09:00:00.000Z" });
  });

  it("asks a page with the filters, the cursor of the page before and the page size", () => {
    expect(auditQueryOf({ action: "code.issued" }, undefined, 50)).toEqual({ action: "code.issued", limit: "50" });
    expect(auditQueryOf({ entry: ENTRY }, "c-123", 50)).toEqual({ entry: ENTRY, cursor: "c-123", limit: "50" });
  });

  it("links the export to the same filters in each format", () => {
    expect(auditExportHrefOf({}, "csv")).toBe("/api/v1/audit/export?format=csv");
    expect(auditExportHrefOf({ entry: ENTRY, outcome: "denied" }, "jsonl")).toBe(`/api/v1/audit/export?entry=${ENTRY}&outcome=denied&format=jsonl`);
    expect(auditExportHrefOf({ actor: "a&b=c" }, "json")).toBe("/api/v1/audit/export?actor=a%26b%3Dc&format=json");
  });

  it("takes only ISO times with a zone", () => {
    expect(isoTimeOf("2026-12-01T10:00Z")).toBe("2026-12-01T10:00:00.000Z");
    expect(isoTimeOf("2026-12-01T10:00:00.5-05:00")).toBe("2026-12-01T15:00:00.500Z");
    expect(isoTimeOf("2026-12-01")).toBeUndefined();
    expect(isoTimeOf("2026-13-45T10:00:00Z")).toBeUndefined();
  });
});

describe("times in the reader's own clock (datetime-local fields)", () => {
  let zone: string | undefined;
  beforeAll(() => {
    zone = process.env.TZ;
    process.env.TZ = "Europe/Paris";
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("turns the reader's local time into UTC and back, to the minute", () => {
    expect(isoOfLocalInput("2026-12-01T14:05")).toBe("2026-12-01T13:05:00.000Z");
    expect(isoOfLocalInput("2026-07-01T14:05:30")).toBe("2026-07-01T12:05:30.000Z");
    expect(localInputOf("2026-12-01T13:05:59.000Z")).toBe("2026-12-01T14:05");
    expect(localInputOf(undefined)).toBe("");
    expect(localInputOf("garbage")).toBe("");
  });

  it("refuses what is not a time the reader could mean", () => {
    for (const value of ["", "2026-02-31T10:00", "2026-12-01", "10:00", "2026-12-01T25:00", "2026-12-01T10:00Z"]) expect(isoOfLocalInput(value), value).toBeUndefined();
  });
});
