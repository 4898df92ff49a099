import { describe, expect, it } from "vitest";
import { setupTokenFrom } from "../../../web/src/setup/setup-link.js";
import { validateSetup, type SetupValues } from "../../../web/src/setup/validate-setup.js";

const valid: SetupValues = { username: "alice", displayName: "", password: "correct horse battery", confirmPassword: "correct horse battery" };

describe("the setup form's browser checks", () => {
  it("accept a good administrator", () => {
    expect(validateSetup(valid)).toEqual({});
    expect(validateSetup({ ...valid, username: "  Alice.Martin " })).toEqual({});
  });

  it("ask for a username made of allowed characters", () => {
    expect(validateSetup({ ...valid, username: " " }).username).toEqual({ key: "usernameRequired" });
    expect(validateSetup({ ...valid, username: "alice martin" }).username).toEqual({ key: "usernameInvalid" });
    expect(validateSetup({ ...valid, username: "-alice" }).username).toEqual({ key: "usernameInvalid" });
  });

  it("count password length in characters, 12 to 128", () => {
    expect(validateSetup({ ...valid, password: "short", confirmPassword: "short" }).password).toEqual({ key: "passwordTooShort", length: 5 });
    const keys = "🔑".repeat(12);
    expect(validateSetup({ ...valid, password: keys, confirmPassword: keys }).password).toBeUndefined();
    const long = "a b".repeat(43);
    expect(validateSetup({ ...valid, password: long, confirmPassword: long }).password).toEqual({ key: "passwordTooLong", length: 129 });
  });

  it("refuse a password that contains the username", () => {
    const password = "my-ALICE-password";
    expect(validateSetup({ ...valid, password, confirmPassword: password }).password).toEqual({ key: "passwordContainsUsername" });
  });

  it("ask for the password twice, the same both times", () => {
    expect(validateSetup({ ...valid, confirmPassword: "" }).confirmPassword).toEqual({ key: "confirmRequired" });
    expect(validateSetup({ ...valid, confirmPassword: "correct horse battery!" }).confirmPassword).toEqual({ key: "passwordsDiffer" });
  });

  it("limit the display name to 100 characters", () => {
    expect(validateSetup({ ...valid, displayName: "x".repeat(101) }).displayName).toEqual({ key: "displayNameTooLong" });
  });
});

describe("the setup link", () => {
  it("carries its token in the fragment", () => {
    expect(setupTokenFrom("#token=abc_DEF-123")).toBe("abc_DEF-123");
    expect(setupTokenFrom("#token=")).toBeUndefined();
    expect(setupTokenFrom("")).toBeUndefined();
  });
});
