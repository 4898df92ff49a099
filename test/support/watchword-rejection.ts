// Awaits a core call that must fail and returns its WatchwordError, so a test can check the code,
// the field and the sentence; anything else (success, another kind of error) fails the test.
import { expect } from "vitest";
import { WatchwordError } from "../../src/core/errors.js";

export async function rejection(promise: Promise<unknown>): Promise<WatchwordError> {
  const error: unknown = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(WatchwordError);
  return error as WatchwordError;
}
