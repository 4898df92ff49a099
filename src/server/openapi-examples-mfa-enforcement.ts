// Examples for /api/docs of the administrators' MFA rule and of step-up before codes (see
// openapi-examples.ts, which spreads them in). Values are made up.
import type { FolderStepUpReply, MfaEnforcementReply, StepUpReply } from "../contract/mfa-enforcement.js";
import { renderProblem } from "../contract/problem.js";
import type { OperationExample } from "./openapi-examples.js";

const GROUP_ID = "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a";
const rule: MfaEnforcementReply = {
  scope: "groups",
  methods: ["totp", "passkey"],
  groupIds: [GROUP_ID],
  updatedAt: "2026-12-01T09:00:00.000Z",
  administratorsWithoutSecondFactor: 0,
  warnings: [],
};
const flagged: MfaEnforcementReply = {
  scope: "off",
  methods: [],
  groupIds: [],
  updatedAt: null,
  administratorsWithoutSecondFactor: 1,
  warnings: [{ key: "administrators_without_second_factor", params: { count: 1 }, detail: renderProblem({ key: "administrators_without_second_factor", params: { count: 1 } }) }],
};
const stepUp: StepUpReply = { stepUpUntil: "2026-12-01T10:05:00.000Z", scope: "entry" };
const folderStepUp: FolderStepUpReply = { required: true };

export const MFA_ENFORCEMENT_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  "GET /api/v1/settings/mfa-enforcement": { reply: flagged },
  "PUT /api/v1/settings/mfa-enforcement": {
    request: { scope: "groups", methods: ["totp", "passkey"], groupIds: [GROUP_ID] },
    reply: rule,
    problem: { status: 409, text: { key: "mfa_enforcement_own_factor_required", params: {} } },
  },
  "POST /api/v1/entries/{id}/step-up": { request: { method: "totp", code: "123 456" }, reply: stepUp, problem: { status: 403, text: { key: "step_up_factor_missing", params: {} } } },
  "POST /api/v1/entries/{id}/step-up/push": { request: {}, reply: { number: 47, expiresAt: "2026-12-01T17:44:00.000Z" }, problem: { status: 429, text: { key: "push_step_up_requests_exhausted", params: { count: 3 } } } },
  "POST /api/v1/entries/{id}/step-up/push/status": { request: {}, reply: { status: "approved", expiresAt: "2026-12-01T17:44:00.000Z" } },
  "GET /api/v1/folders/{id}/step-up": { reply: folderStepUp },
  "PUT /api/v1/folders/{id}/step-up": { request: { required: true }, reply: folderStepUp },
};
