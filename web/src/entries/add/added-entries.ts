// What the add-entry dialog hands back to "My entries" once entries exist.
import type { Notice } from "../../../../src/contract/problem.js";

export interface AddedEntries {
  readonly created: readonly { readonly id: string; readonly name: string }[];
  /** The server's warnings, e.g. a setup key shorter than 128 bits. */
  readonly warnings: readonly Notice[];
}
