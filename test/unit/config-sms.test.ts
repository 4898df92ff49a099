import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../src/config.js";

describe("configuration of the SMS gateway and account recovery", () => {
  it("texts nothing and waits 72 hours by default", () => {
    expect(loadServerConfig({}, {})).toMatchObject({ sms: undefined, recoveryWaitHours: 72 });
    expect(loadServerConfig({}, { WATCHWORD_RECOVERY_WAIT_HOURS: "24" }).recoveryWaitHours).toBe(24);
    expect(() => loadServerConfig({}, { WATCHWORD_RECOVERY_WAIT_HOURS: "3d" })).toThrow(/WATCHWORD_RECOVERY_WAIT_HOURS/);
  });

  it("takes an https gateway (http on this machine only) with its bearer token, which never prints", () => {
    const sms = loadServerConfig({}, { WATCHWORD_SMS_URL: "https://sms.example.com/v1/messages", WATCHWORD_SMS_TOKEN: "tok-3f9a7c1e55", WATCHWORD_SMS_SENDER: "Watchword" }).sms!;
    expect(sms).toMatchObject({ url: "https://sms.example.com/v1/messages", sender: "Watchword" });
    expect(sms.token.revealUtf8()).toBe("tok-3f9a7c1e55");
    expect(`${inspect(sms)} ${JSON.stringify(sms)}`).not.toContain("tok-3f9a7c1e55");
    expect(loadServerConfig({}, { WATCHWORD_SMS_URL: "http://127.0.0.1:9099/sms", WATCHWORD_SMS_TOKEN: "tok-3f9a7c1e55" }).sms?.url).toBe("http://127.0.0.1:9099/sms");
  });

  it("names the setting that is wrong, never repeating the token or the URL", () => {
    const token = { WATCHWORD_SMS_TOKEN: "tok-3f9a7c1e55" };
    expect(() => loadServerConfig({}, token)).toThrow(/WATCHWORD_SMS_URL is not/);
    expect(() => loadServerConfig({}, { ...token, WATCHWORD_SMS_URL: "http://sms.example.com/secret-path" })).toThrow(/must be an https:\/\/ URL/);
    expect(() => loadServerConfig({}, { WATCHWORD_SMS_URL: "https://sms.example.com" })).toThrow(/WATCHWORD_SMS_TOKEN must hold/);
    expect(() => loadServerConfig({}, { ...token, WATCHWORD_SMS_URL: "https://sms.example.com", WATCHWORD_SMS_SENDER: "<script>" })).toThrow(/WATCHWORD_SMS_SENDER/);
    try {
      loadServerConfig({}, { ...token, WATCHWORD_SMS_URL: "http://sms.example.com/secret-path" });
    } catch (error) {
      expect(String(error)).not.toMatch(/secret-path|tok-3f9a7c1e55/);
    }
  });
});
