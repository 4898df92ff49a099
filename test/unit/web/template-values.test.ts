import { describe, expect, it } from "vitest";
import type { Template } from "../../../src/contract/entries.js";
import { checkSetupKey, DEFAULT_SETUP_KEY, setupKeyRequest } from "../../../web/src/entries/add/seed-checks.js";
import { checkTemplateValues, seedNeedOf, templateFieldOfProblem, withTemplateValues } from "../../../web/src/entries/add/template-values.js";

const webApp: Template = {
  id: "web-app-otp",
  name: "Web app with OTP",
  builtIn: true,
  fields: [
    { key: "url", label: "URL", type: "url", required: false },
    { key: "username", label: "Username", type: "text", required: false },
    { key: "password", label: "Password", type: "secret", required: false },
    { key: "seed", label: "OTP seed", type: "otp", required: false },
  ],
};
const bank: Template = {
  id: "t1",
  name: "Bank portal",
  builtIn: false,
  fields: [
    { key: "customer_number", label: "Customer number", type: "text", required: true },
    { key: "pin", label: "PIN", type: "secret", required: true },
    { key: "seed", label: "OTP seed", type: "otp", required: true },
  ],
};
const codesOnly: Template = { id: "recovery-codes-only", name: "Recovery codes only", builtIn: true, fields: [{ key: "recovery_codes", label: "Recovery codes", type: "recovery_codes", required: true }] };

describe("the add-entry form with a template", () => {
  it("wants a seed only when the template has one, and only if it is required", () => {
    expect(seedNeedOf(undefined)).toBe("required");
    expect(seedNeedOf(bank)).toBe("required");
    expect(seedNeedOf(webApp)).toBe("optional");
    expect(seedNeedOf(codesOnly)).toBe("none");
    const named = { ...DEFAULT_SETUP_KEY, name: "Registrar" };
    expect(checkSetupKey(named, "optional")).toEqual({});
    expect(checkSetupKey({ ...named, secret: "JBSW1" }, "optional").secret).toBe("secretNotBase32");
    expect(checkSetupKey(named, "none")).toEqual({});
    expect(setupKeyRequest(named, null, "none")).toEqual({ name: "Registrar", folderId: null });
  });

  it("asks for the required fields and a web address where one is expected", () => {
    expect(checkTemplateValues(bank, {})).toEqual({ customer_number: "valueRequired", pin: "valueRequired" });
    expect(checkTemplateValues(webApp, { url: "example.com" })).toEqual({ url: "urlNotValid" });
    expect(checkTemplateValues(webApp, { url: "https://example.com/login" })).toEqual({});
    expect(checkTemplateValues(codesOnly, { recovery_codes: "\n \n" })).toEqual({ recovery_codes: "codesRequired" });
  });

  it("sends url and username as the entry's own, secrets as typed, codes one per line", () => {
    const base = { name: "Registrar", folderId: null };
    expect(withTemplateValues(base, webApp, { url: " https://example.com ", username: " alice ", password: " p w " })).toEqual({
      name: "Registrar",
      folderId: null,
      templateId: "web-app-otp",
      url: "https://example.com",
      username: "alice",
      fields: { password: " p w " },
    });
    expect(withTemplateValues(base, bank, { customer_number: "12345", pin: "0420" })).toMatchObject({ templateId: "t1", fields: { customer_number: "12345", pin: "0420" } });
    expect(withTemplateValues(base, codesOnly, { recovery_codes: "aaaa-bbbb\ncccc-dddd\n" }).recoveryCodes).toEqual(["aaaa-bbbb", "cccc-dddd"]);
  });

  it("finds the template field a server refusal names", () => {
    expect(templateFieldOfProblem(bank, "fields.pin")).toBe("pin");
    expect(templateFieldOfProblem(webApp, "url")).toBe("url");
    expect(templateFieldOfProblem(codesOnly, "recoveryCodes")).toBe("recovery_codes");
    expect(templateFieldOfProblem(bank, "name")).toBeUndefined();
  });
});
