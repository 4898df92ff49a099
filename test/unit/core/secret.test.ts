import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secret.js";

describe("Secret", () => {
  const secret = Secret.fromUtf8("JBSWY3DPEHPK3PXP");
  it("prints as [redacted] however it is printed", () => {
    expect(String(secret)).toBe("[redacted]");
    expect(`${secret}`).toBe("[redacted]");
    expect(JSON.stringify({ seed: secret })).toBe('{"seed":"[redacted]"}');
    expect(inspect({ nested: { secret } })).not.toContain("JBSWY3DPEHPK3PXP");
  });
  it("hands out its bytes only when asked, and forgets them when destroyed", () => {
    const copy = Secret.fromBytes(Buffer.from("abc"));
    expect(copy.revealUtf8()).toBe("abc");
    copy.destroy();
    expect([...copy.reveal()]).toEqual([0, 0, 0]);
  });
});
