import { describe, expect, it } from "vitest";
import {
  checkTemplate,
  hasProblems,
  keyFromLabel,
  moveField,
  newFieldDraft,
  placeServerField,
  templateRequest,
  withKey,
  withLabel,
  type FieldDraft,
} from "../../../web/src/admin/templates/template-checks.js";

const field = (label: string, type: FieldDraft["type"] = "text", isRequired = false): FieldDraft => ({ ...withLabel(newFieldDraft(type), label), isRequired });

describe("the New template form's own checks", () => {
  it("derives a key from the label the way the server accepts keys", () => {
    expect(keyFromLabel("Customer number")).toBe("customer_number");
    expect(keyFromLabel("Numéro client ")).toBe("numero_client");
    expect(keyFromLabel("PIN")).toBe("pin");
    expect(keyFromLabel("2FA backup")).toBe("f_2fa_backup");
    expect(keyFromLabel("—")).toBe("");
    expect(keyFromLabel("a".repeat(60))).toHaveLength(40);
  });

  it("stops following the label once the key is typed by hand, and follows it again when emptied", () => {
    const edited = withKey(field("Customer number"), "customer");
    expect(withLabel(edited, "Client number").key).toBe("customer");
    expect(withKey(withLabel(edited, "Client number"), "").key).toBe("client_number");
  });

  it("moves a field up or down and leaves the ends alone", () => {
    const [a, b, c] = [field("A"), field("B"), field("C")];
    expect(moveField([a, b, c], c.id, -1).map((f) => f.label)).toEqual(["A", "C", "B"]);
    expect(moveField([a, b, c], a.id, 1).map((f) => f.label)).toEqual(["B", "A", "C"]);
    expect(moveField([a, b, c], a.id, -1).map((f) => f.label)).toEqual(["A", "B", "C"]);
  });

  it("accepts a name and well-formed fields", () => {
    const problems = checkTemplate({ name: "Bank portal", fields: [field("Customer number", "text", true), field("PIN", "secret"), field("OTP seed", "otp")] });
    expect(hasProblems(problems)).toBe(false);
  });

  it("asks for a name, a field, labels and valid, distinct keys", () => {
    expect(checkTemplate({ name: " ", fields: [] })).toMatchObject({ name: "nameRequired", fields: "fieldsRequired" });
    const blank = field("");
    const bad = withKey(field("X"), "9lives");
    const first = field("Account");
    const second = field("Account");
    const problems = checkTemplate({ name: "T", fields: [blank, bad, first, second] });
    expect(problems.rows[blank.id]).toEqual({ label: "labelRequired" });
    expect(problems.rows[bad.id]).toEqual({ key: "keyInvalid" });
    expect(problems.rows[first.id]).toBeUndefined();
    expect(problems.rows[second.id]).toEqual({ key: "keyDuplicate" });
  });

  it("allows one OTP seed and one list of recovery codes, like the server", () => {
    const otp2 = field("Backup seed", "otp");
    const codes2 = field("More codes", "recovery_codes");
    const problems = checkTemplate({ name: "T", fields: [field("Seed", "otp"), otp2, field("Codes", "recovery_codes"), codes2] });
    expect(problems.rows[otp2.id]).toEqual({ type: "oneOtp" });
    expect(problems.rows[codes2.id]).toEqual({ type: "oneRecoveryCodes" });
  });

  it("sends trimmed labels, keys, types and required flags in order", () => {
    expect(templateRequest({ name: " Bank portal ", fields: [field(" PIN ", "secret", true)] })).toEqual({
      name: "Bank portal",
      fields: [{ key: "pin", label: "PIN", type: "secret", required: true }],
    });
  });

  it("places the server's refusals next to the field they name", () => {
    expect(placeServerField("name")).toEqual({ kind: "name" });
    expect(placeServerField("fields")).toEqual({ kind: "fields" });
    expect(placeServerField("fields.2.key")).toEqual({ kind: "row", index: 2, part: "key" });
    expect(placeServerField("body.fields.0.label")).toEqual({ kind: "row", index: 0, part: "label" });
    expect(placeServerField(undefined)).toEqual({ kind: "form" });
  });
});
