import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadClientEnvironment, loadServerConfig } from "../../src/config.js";

describe("configuration", () => {
  it("has sensible defaults: 127.0.0.1:8080, SQLite in ./data", () => {
    const config = loadServerConfig({}, {});
    expect(config).toMatchObject({ host: "127.0.0.1", port: 8080, dataDir: path.resolve("data"), databaseUrl: undefined, logLevel: "info" });
    expect(Object.isFrozen(config)).toBe(true);
  });
  it("takes flags over WATCHWORD_* variables over defaults", () => {
    const env = { WATCHWORD_PORT: "9000", WATCHWORD_HOST: "0.0.0.0", DATABASE_URL: "postgres://db/x" };
    expect(loadServerConfig({}, env)).toMatchObject({ port: 9000, host: "0.0.0.0", databaseUrl: "postgres://db/x" });
    expect(loadServerConfig({ port: "9100", databaseUrl: "postgres://other/y" }, env)).toMatchObject({ port: 9100, databaseUrl: "postgres://other/y" });
  });
  it("names the setting that is wrong", () => {
    expect(() => loadServerConfig({ port: "http" }, {})).toThrow(/--port must be a port number/);
    expect(() => loadServerConfig({}, { WATCHWORD_PORT: "70000" })).toThrow(/WATCHWORD_PORT/);
    expect(() => loadServerConfig({}, { DATABASE_URL: "sqlite:///x" })).toThrow(/postgres:\/\//);
    expect(() => loadServerConfig({}, { WATCHWORD_LOG_LEVEL: "loud" })).toThrow(/WATCHWORD_LOG_LEVEL/);
    expect(() => loadServerConfig({}, { WATCHWORD_TRUST_PROXY: "maybe" })).toThrow(/WATCHWORD_TRUST_PROXY/);
    expect(() => loadServerConfig({}, { WATCHWORD_PUBLIC_URL: "ftp://x" })).toThrow(/WATCHWORD_PUBLIC_URL/);
    expect(() => loadServerConfig({}, { WATCHWORD_IMPORT_MEMORY_MB: "2GB" })).toThrow(/WATCHWORD_IMPORT_MEMORY_MB must be a whole number/);
    expect(() => loadServerConfig({}, { WATCHWORD_IMPORT_MEMORY_MB: "0" })).toThrow(/at least 1/);
  });
  it("sends mail only with WATCHWORD_SMTP_URL, WATCHWORD_SMTP_FROM and WATCHWORD_PUBLIC_URL, never repeating the URL's password", () => {
    const base = { WATCHWORD_PUBLIC_URL: "https://vault.example.com" };
    expect(loadServerConfig({}, base).smtp).toBeUndefined();
    const smtp = { ...base, WATCHWORD_SMTP_URL: "smtp://mailer:pw-s3cret@mail.example.com:587", WATCHWORD_SMTP_FROM: "Watchword <watchword@example.com>" };
    expect(loadServerConfig({}, smtp).smtp).toEqual({ url: smtp.WATCHWORD_SMTP_URL, from: smtp.WATCHWORD_SMTP_FROM });
    expect(loadServerConfig({}, { ...smtp, WATCHWORD_SMTP_FROM: "watchword@example.com" }).smtp?.from).toBe("watchword@example.com");
    const refusal = (env: Record<string, string>): string => {
      try {
        loadServerConfig({}, env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("expected a refusal");
    };
    expect(refusal({ ...smtp, WATCHWORD_SMTP_URL: "http://mailer:pw-s3cret@mail.example.com" })).toMatch(/^WATCHWORD_SMTP_URL must be an smtp:\/\/ or smtps:\/\//);
    expect(refusal({ ...smtp, WATCHWORD_SMTP_URL: "not a url pw-s3cret" })).not.toContain("pw-s3cret");
    expect(refusal({ ...base, WATCHWORD_SMTP_URL: smtp.WATCHWORD_SMTP_URL })).toMatch(/WATCHWORD_SMTP_FROM is needed/);
    expect(refusal({ ...smtp, WATCHWORD_SMTP_FROM: "not an address" })).toMatch(/WATCHWORD_SMTP_FROM must be an e-mail address/);
    expect(refusal({ ...base, WATCHWORD_SMTP_FROM: "watchword@example.com" })).toMatch(/WATCHWORD_SMTP_URL is not/);
    expect(refusal({ WATCHWORD_SMTP_URL: smtp.WATCHWORD_SMTP_URL, WATCHWORD_SMTP_FROM: "watchword@example.com" })).toMatch(/needs WATCHWORD_PUBLIC_URL/);
  });
  it("sizes import work by WATCHWORD_IMPORT_MEMORY_MB, 3 GiB by default", () => {
    expect(loadServerConfig({}, {}).importMemoryMb).toBe(3072);
    expect(loadServerConfig({}, { WATCHWORD_IMPORT_MEMORY_MB: "8192" }).importMemoryMb).toBe(8192);
  });
  it("finds the CLI's config file in XDG_CONFIG_HOME or WATCHWORD_CONFIG", () => {
    expect(loadClientEnvironment({ XDG_CONFIG_HOME: "/cfg" }).configFile).toBe("/cfg/watchword/config.json");
    expect(loadClientEnvironment({ WATCHWORD_CONFIG: "/x/c.json", WATCHWORD_URL: "http://h" })).toMatchObject({ configFile: "/x/c.json", url: "http://h" });
  });
});
