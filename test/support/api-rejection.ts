// Awaits a client call that must fail and returns its ApiError, so a test can check the status,
// the field and the sentence the server chose.
import { ApiError } from "../../src/client/client.js";

export async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}
