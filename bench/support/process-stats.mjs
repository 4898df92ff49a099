// What the kernel says about a process on Linux: CPU time used (utime + stime from
// /proc/<pid>/stat) and resident memory (VmRSS from /proc/<pid>/status). Benchmarks read these
// for the server child before and after a load round, so the figure is the server's own cost.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond;

/** The kernel's clock ticks per second (USER_HZ), in which /proc reports CPU time. */
function clockTicksPerSecond() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // USER_HZ on every mainstream Linux build
    }
  }
  return ticksPerSecond;
}

/**
 * CPU time (user + system) the process has used so far, in microseconds.
 * @param {number} pid
 */
export function cpuMicroseconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which sits in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) / clockTicksPerSecond()) * 1e6;
}

/**
 * Resident memory of the process now, in MB (10^6 bytes).
 * @param {number} pid
 */
export function residentMegabytes(pid) {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (match === null) throw new Error(`no VmRSS for process ${pid}`);
  return (Number(match[1]) * 1024) / 1e6;
}
