// Examples for /api/docs of a user's own sign-in security: recovery codes and sessions (see
// openapi-examples.ts, which spreads them in). Values are made up; these codes open nothing.
import type { EndedSessions, GeneratedRecoveryCodes, OwnSession, OwnSessionList, RecoveryCodeStatus } from "../contract/sign-in-security.js";
import type { OperationExample } from "./openapi-examples.js";

const thisBrowser: OwnSession = {
  id: "q3Vt0dKc8Zr1mYw2XbN5fA",
  kind: "browser",
  browser: "Firefox",
  system: "Linux",
  ip: "203.0.113.24",
  createdAt: "2026-12-01T08:02:00.000Z",
  lastSeenAt: "2026-12-01T09:14:00.000Z",
  isCurrent: true,
};
const phone: OwnSession = { ...thisBrowser, id: "Hn7pQ2sLw9eR4tY6uI1oPa", browser: "Safari", system: "iOS", ip: "198.51.100.7", lastSeenAt: "2026-12-01T07:40:00.000Z", isCurrent: false };
const cli: OwnSession = { ...thisBrowser, id: "Zx8cV5bN2mK4jH6gF1dS3a", kind: "token", browser: "Watchword CLI", system: null, ip: "192.0.2.10", lastSeenAt: "2026-11-30T17:05:00.000Z", isCurrent: false };

export const SIGN_IN_SECURITY_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  "GET /api/v1/account/recovery-codes": { reply: { remaining: 8, total: 10, generatedAt: "2026-11-02T10:00:00.000Z" } satisfies RecoveryCodeStatus },
  "POST /api/v1/account/recovery-codes": {
    request: {},
    reply: {
      codes: ["K7QH-M2XA-PZ4W-R6TN", "B3VD-Y5JC-L2QE-W7SU", "F4NR-T6GK-A2ZP-M3XH", "Q5WL-C7BE-J2YV-N4RD", "H6TS-X3MA-G5QK-P2LW", "D2ZJ-R4UF-V6NC-K3YB", "M3PX-W5HT-E7LQ-S2GA", "V4KC-N6RY-B2DJ-T5ZM", "G7LE-Q3SW-H5XA-C4PN", "T2YB-F6MK-U3RV-L7QD"],
      generatedAt: "2026-12-01T09:15:00.000Z",
    } satisfies GeneratedRecoveryCodes,
  },
  "GET /api/v1/account/sessions": { reply: { sessions: [thisBrowser, phone, cli] } satisfies OwnSessionList },
  "DELETE /api/v1/account/sessions/{id}": {},
  "POST /api/v1/account/sessions/sign-out-others": { request: {}, reply: { ended: 2 } satisfies EndedSessions },
};
