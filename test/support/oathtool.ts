// OATH Toolkit's oathtool, the independent C implementation of RFC 4226 and RFC 6238 that tests
// compare codes with. Under CI=true it must be installed; elsewhere the comparisons are skipped.
import { execFileSync, spawnSync } from "node:child_process";

/** OATHTOOL=/path/to/oathtool picks another build. */
export const oathtoolCommand = process.env.OATHTOOL ?? "oathtool";
export const hasOathtool = spawnSync(oathtoolCommand, ["--version"], { stdio: "ignore" }).status === 0;
if (!hasOathtool && process.env.CI === "true") throw new Error(`oathtool (${oathtoolCommand}) is required under CI=true: apt-get install oathtool.`);

/** What oathtool prints for `args`, trimmed (one code a line). */
export function runOathtool(...args: string[]): string {
  return execFileSync(oathtoolCommand, args, { encoding: "utf8" }).trim();
}
