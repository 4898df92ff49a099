// Turns service results into the contract's reply shapes.
import type { SessionInfo, UserSummary } from "../../contract/auth.js";
import { renderProblem, type Notice, type ProblemText } from "../../contract/problem.js";
import type { UserRecord } from "../../store/users.js";
import type { EnrolmentDemand } from "../../services/mfa-enforcement.js";

export const userSummaryOf = (user: UserRecord): UserSummary => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  role: user.role,
});

export const sessionInfoOf = (user: UserRecord, csrfToken: string, expiresAt: number, enrolment?: EnrolmentDemand): SessionInfo => ({
  user: userSummaryOf(user),
  csrfToken,
  expiresAt: new Date(expiresAt).toISOString(),
  language: user.language,
  ...(enrolment === undefined ? {} : { secondFactorEnrolment: { methods: [...enrolment.methods], reason: enrolment.reason } }),
});

/** A warning as replies carry it: key and parameters for translation, and the English sentence. */
export const noticeOf = (text: ProblemText): Notice => ({ key: text.key, params: { ...text.params }, detail: renderProblem(text) });
