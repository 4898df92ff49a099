import { describe, expect, it } from "vitest";
import {
  checkLink,
  checkSetupKey,
  DEFAULT_SETUP_KEY,
  linkRequest,
  looksLikeLink,
  normaliseSecret,
  setupKeyRequest,
} from "../../../web/src/entries/add/seed-checks.js";

describe("the add-entry forms' own checks", () => {
  it("accepts a setup key as people paste it", () => {
    expect(normaliseSecret("jbsw y3dp-ehpk 3pxp")).toBe("JBSWY3DPEHPK3PXP");
    expect(checkSetupKey({ ...DEFAULT_SETUP_KEY, name: "AWS root", secret: "jbsw y3dp ehpk 3pxp" })).toEqual({});
  });

  it("asks for a name and a key, and refuses characters base32 does not have", () => {
    expect(checkSetupKey(DEFAULT_SETUP_KEY)).toEqual({ name: "nameRequired", secret: "secretRequired" });
    expect(checkSetupKey({ ...DEFAULT_SETUP_KEY, name: "x", secret: "JBSW1DP0" }).secret).toBe("secretNotBase32");
  });

  it("checks digits and period for TOTP, the counter for HOTP, and neither digits for Steam", () => {
    const base = { ...DEFAULT_SETUP_KEY, name: "x", secret: "JBSWY3DP" };
    expect(checkSetupKey({ ...base, digits: "5" }).digits).toBe("digitsOutOfRange");
    expect(checkSetupKey({ ...base, period: "0" }).period).toBe("periodOutOfRange");
    expect(checkSetupKey({ ...base, type: "hotp", period: "", counter: "-1" })).toEqual({ counter: "counterInvalid" });
    expect(checkSetupKey({ ...base, type: "steam", digits: "" })).toEqual({});
  });

  it("sends the seed with only the settings its type uses", () => {
    const values = { ...DEFAULT_SETUP_KEY, name: " AWS root ", issuer: " Amazon ", secret: "jbsw y3dp", digits: "8", period: "60" };
    expect(setupKeyRequest(values, "f1")).toEqual({
      name: "AWS root",
      issuer: "Amazon",
      folderId: "f1",
      seed: { secret: "JBSWY3DP", type: "totp", algorithm: "SHA1", digits: 8, period: 60 },
    });
    expect(setupKeyRequest({ ...values, type: "hotp", counter: "4" }, null).seed).toEqual({ secret: "JBSWY3DP", type: "hotp", algorithm: "SHA1", digits: 8, counter: 4 });
    expect(setupKeyRequest({ ...values, type: "steam" }, null).seed).toEqual({ secret: "JBSWY3DP", type: "steam", period: 60 });
  });

  it("wants an otpauth:// or steam:// link, and leaves the name to the link when none is given", () => {
    expect(checkLink("")).toBe("uriRequired");
    expect(checkLink("https://example.com")).toBe("uriNotLink");
    expect(checkLink(" otpauth://totp/ACME:alice?secret=JBSWY3DP ")).toBeUndefined();
    expect(linkRequest(" otpauth://totp/x?secret=A ", "  ", null)).toEqual({ folderId: null, seed: { uri: "otpauth://totp/x?secret=A" } });
    expect(linkRequest("otpauth://totp/x?secret=A", "Mine", "f")).toEqual({ name: "Mine", folderId: "f", seed: { uri: "otpauth://totp/x?secret=A" } });
    expect(looksLikeLink("otpauth://totp/x?secret=A")).toBe(true);
    expect(looksLikeLink("see otpauth://totp/x")).toBe(false);
  });
});
