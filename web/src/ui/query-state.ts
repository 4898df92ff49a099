// A query's state in the three words pages render by: loading, ready with its value, or failed.
import type { UseQueryResult } from "@tanstack/react-query";

export type LoadState<T> =
  | { readonly status: "loading" }
  | { readonly status: "ready"; readonly value: T }
  | { readonly status: "failed"; readonly error: unknown };

export function loadStateOf<T>(query: UseQueryResult<T>): LoadState<T> {
  if (query.isSuccess) return { status: "ready", value: query.data };
  if (query.isError) return { status: "failed", error: query.error };
  return { status: "loading" };
}
