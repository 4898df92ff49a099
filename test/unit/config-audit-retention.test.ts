// WATCHWORD_AUDIT_RETENTION: the default age for `watchword audit archive`, days or hours only.
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config.js";
import { isWatchwordError } from "../../src/core/errors.js";
import { parseArchiveBefore } from "../../src/services/audit-archive.js";

describe("the audit retention setting", () => {
  it("is unset by default and takes an age in days or hours", () => {
    expect(loadServerConfig({}, {}).auditRetention).toBeUndefined();
    expect(loadServerConfig({}, { WATCHWORD_AUDIT_RETENTION: "365d" }).auditRetention).toBe("365d");
    expect(loadServerConfig({}, { WATCHWORD_AUDIT_RETENTION: " 12h " }).auditRetention).toBe("12h");
    // Empty is unset, as for every WATCHWORD_* variable.
    expect(loadServerConfig({}, { WATCHWORD_AUDIT_RETENTION: "" }).auditRetention).toBeUndefined();
  });

  it("refuses anything else with a catalogued problem naming the variable", () => {
    for (const value of ["30", "1y", "-5d", "30 d", "1234567d", "2026-01-01", "30d; rm -rf /"]) {
      let error: unknown;
      try {
        loadServerConfig({}, { WATCHWORD_AUDIT_RETENTION: value });
      } catch (e) {
        error = e;
      }
      expect(isWatchwordError(error) && error.problemText?.key, value).toBe("config_audit_retention_invalid");
      expect(isWatchwordError(error) && error.details.field, value).toBe("WATCHWORD_AUDIT_RETENTION");
    }
  });

  it("turns an age or an ISO time into the moment before which events are archived", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    expect(parseArchiveBefore("30d", now, "before")).toBe(now - 30 * 86_400_000);
    expect(parseArchiveBefore("12h", now, "before")).toBe(now - 12 * 3_600_000);
    expect(parseArchiveBefore("2026-06-30", now, "before")).toBe(Date.parse("2026-06-30T00:00:00Z"));
    expect(parseArchiveBefore("2026-06-30T08:00:00+02:00", now, "before")).toBe(Date.parse("2026-06-30T06:00:00Z"));
    for (const bad of ["yesterday", "2026-13-45", "30", "", "2026-06-30T25:99"]) expect(() => parseArchiveBefore(bad, now, "before"), bad).toThrow(/as an age \(30d, 12h\)/);
  });
});
