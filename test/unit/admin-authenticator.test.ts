// The test authenticator's choice of TOTP step (test/support/admin-authenticator.ts): the server
// accepts a step's code from one step before it to one step after and never a step it accepted
// already, so the helper must give a new step, inside the window, that does not lapse on the way.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseStep } from "../support/admin-authenticator.js";

const STEP_MS = 30_000;
const START = 1_790_000_000_000 - (1_790_000_000_000 % STEP_MS); // a step boundary
const current = START / STEP_MS;

describe("the test authenticator's TOTP step", () => {
  it("gives the oldest step of the window when it is not about to lapse", () => {
    expect(chooseStep(START + 10_000, -1, true)).toEqual({ step: current - 1, waitMs: 0 });
  });

  it("passes over a step that lapses within seconds on a clock that moves by itself", () => {
    // 1 s before the boundary the oldest step (current - 1) lapses: its request could arrive after.
    expect(chooseStep(START + STEP_MS - 1_000, -1, true)).toEqual({ step: current, waitMs: 0 });
    // A ManualClock does not move while the request travels: the oldest step is safe there.
    expect(chooseStep(START + STEP_MS - 1_000, -1, false)).toEqual({ step: current - 1, waitMs: 0 });
  });

  it("waits for the step after the window once all three were given", () => {
    expect(chooseStep(START + 10_000, current + 1, true)).toEqual({ step: current + 2, waitMs: STEP_MS - 10_000 });
  });

  it("always gives a new step the server accepts when the wait is over, for at least 5 s more", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * STEP_MS }), fc.integer({ min: -1, max: 12 }), (offset, used) => {
        const now = START + offset;
        const lastStep = used === -1 ? -1 : current - 2 + used;
        const { step, waitMs } = chooseStep(now, lastStep, true);
        const at = now + waitMs;
        const serverStep = Math.floor(at / STEP_MS);
        expect(step).toBeGreaterThan(lastStep);
        expect(Math.abs(step - serverStep)).toBeLessThanOrEqual(1);
        expect((step + 2) * STEP_MS - at).toBeGreaterThanOrEqual(5_000);
      }),
    );
  });
});
