// SIEM destinations from WATCHWORD_SIEM_* and the destinations file: what a good configuration
// gives, and a clear, catalogued start-up error for each hostile one, never repeating a secret.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config.js";
import { isWatchwordError } from "../../src/core/errors.js";

const SECRET = "planted-signing-secret-3b9f2c71d0e84a56";

function refusal(env: Record<string, string>): { key: string; message: string } {
  try {
    loadServerConfig({}, env);
  } catch (error) {
    if (!isWatchwordError(error)) throw error;
    return { key: error.problemText?.key ?? "", message: error.message };
  }
  throw new Error("the configuration was accepted");
}

describe("SIEM destinations configuration", () => {
  it("reads each destination from its variables", () => {
    const config = loadServerConfig({}, {
      WATCHWORD_SIEM_SPLUNK_URL: "https://siem.example.com/hook?token=abc",
      WATCHWORD_SIEM_SPLUNK_SECRET: SECRET,
      WATCHWORD_SIEM_LOG_SERVER_URL: "syslog+tls://logs.example.com",
      WATCHWORD_SIEM_PLAIN_URL: "syslog+tcp://10.0.0.5:1514",
      WATCHWORD_SIEM_DGRAM_URL: "syslog+udp://[::1]",
      WATCHWORD_SIEM_DGRAM_START: "now",
    });
    expect(config.siem.map((d) => [d.name, d.transport, d.host, d.port, d.start])).toEqual([
      ["splunk", "webhook", "siem.example.com", 443, "beginning"],
      ["log-server", "syslog-tls", "logs.example.com", 6514, "beginning"],
      ["plain", "syslog-tcp", "10.0.0.5", 1514, "beginning"],
      ["dgram", "syslog-udp", "::1", 514, "now"],
    ]);
    expect(JSON.stringify(config)).not.toContain(SECRET);
    expect(loadServerConfig({}, {}).siem).toEqual([]);
  });

  it("reads destinations from WATCHWORD_SIEM_FILE, a CA file beside it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watchword-siem-config-"));
    fs.writeFileSync(path.join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const file = path.join(dir, "siem.json");
    fs.writeFileSync(file, JSON.stringify({ destinations: [{ name: "hook", url: "https://h.example.com/", secret: SECRET }, { name: "tls", url: "syslog+tls://l.example.com:6514", caFile: "ca.pem" }] }));
    const config = loadServerConfig({}, { WATCHWORD_SIEM_FILE: file });
    expect(config.siem.map((d) => d.name)).toEqual(["hook", "tls"]);
    expect(config.siem[1]).toMatchObject({ ca: expect.stringContaining("BEGIN CERTIFICATE") });
    fs.writeFileSync(file, "{not json");
    expect(refusal({ WATCHWORD_SIEM_FILE: file }).key).toBe("config_siem_file_invalid");
    fs.writeFileSync(file, JSON.stringify({ destinations: [{ name: "x", url: "https://h.example.com/", secret: SECRET, extra: 1 }] }));
    expect(refusal({ WATCHWORD_SIEM_FILE: file }).key).toBe("config_siem_file_invalid");
    fs.writeFileSync(file, JSON.stringify({ destinations: [{ name: "hook", url: "syslog+udp://a.example.com" }] }));
    expect(refusal({ WATCHWORD_SIEM_FILE: file, WATCHWORD_SIEM_HOOK_URL: "syslog+udp://b.example.com" }).key).toBe("config_siem_name_taken");
    expect(refusal({ WATCHWORD_SIEM_FILE: path.join(dir, "absent.json") }).key).toBe("config_siem_file_invalid");
  });

  it.each([
    [{ WATCHWORD_SIEM_X_URL: "not a url" }, "config_siem_url_invalid"],
    [{ WATCHWORD_SIEM_X_URL: "ftp://files.example.com" }, "config_siem_url_invalid"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+tcp://" }, "config_siem_url_invalid"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+tcp://logs.example.com/path" }, "config_siem_url_invalid"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+tcp://user:pw@logs.example.com:514" }, "config_siem_url_invalid"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+tcp://logs.example.com:0" }, "config_siem_port_invalid"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+udp://logs.example.com:70000" }, "config_siem_port_invalid"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+udp://logs.example.com:port" }, "config_siem_url_invalid"],
    [{ WATCHWORD_SIEM_X_SECRET: SECRET }, "config_siem_url_missing"],
    [{ WATCHWORD_SIEM_X_URL: "https://h.example.com/" }, "config_siem_secret_missing"],
    [{ WATCHWORD_SIEM_X_URL: "https://h.example.com/", WATCHWORD_SIEM_X_SECRET: "short-planted-secret" }, "config_siem_secret_short"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+tcp://l.example.com", WATCHWORD_SIEM_X_SECRET: SECRET }, "config_siem_option_misplaced"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+udp://l.example.com", WATCHWORD_SIEM_X_CA_FILE: "/etc/hostname" }, "config_siem_option_misplaced"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+tls://l.example.com", WATCHWORD_SIEM_X_CA_FILE: "/nonexistent/ca.pem" }, "config_siem_ca_unreadable"],
    [{ WATCHWORD_SIEM_X_URL: "syslog+tls://l.example.com", WATCHWORD_SIEM_X_START: "yesterday" }, "config_siem_start_invalid"],
    [{ WATCHWORD_SIEM_X_SECERT: SECRET }, "config_siem_variable_unknown"],
    [{ WATCHWORD_SIEM_URL: "syslog+tcp://l.example.com" }, "config_siem_variable_unknown"],
    [{ WATCHWORD_OUTBOX_LEASE_SECONDS: "0" }, "config_number_invalid"],
  ])("refuses %j at start-up (%s)", (env, key) => {
    const { key: found, message } = refusal(env);
    expect(found).toBe(key);
    expect(message).not.toContain("planted");
    expect(message.length).toBeGreaterThan(20);
  });
});
