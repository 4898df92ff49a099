// What every format parser is handed besides the file: the password, the limits, and the
// collector that gathers entries and problems.
import type { Secret } from "../secret.js";
import type { ImportCollector, ImportLimits } from "./import-collector.js";

export interface FormatContext {
  readonly password: Secret | undefined;
  readonly limits: ImportLimits;
  readonly collector: ImportCollector;
}
