// Examples for /api/docs: one request (where there is a body) and one reply per operation, typed
// against the contract so that a change of shape fails to compile, and checked against the route
// schemas by a test. Values are made up; the setup key is the well-known demo key JBSWY3DPEHPK3PXP.
import type { SessionInfo, SignInReply } from "../contract/auth.js";
import type { AllRecoveryCodesReply, BatchCodesReply, CodeReply, RecoveryCodeReply, RevealFieldReply } from "../contract/codes.js";
import type { EntryDetail, EntryList, EntryReply, Folder, Template } from "../contract/entries.js";
import type { HealthReply, ReadinessReply } from "../contract/health.js";
import type { ConfirmImportReply, ImportPreview, ImportPreviewProblem } from "../contract/imports.js";
import type { ProblemText } from "../contract/problem.js";
import type { UnlockUserReply } from "../contract/users.js";

export interface OperationExample {
  /** The request body, for operations that take one. */
  readonly request?: unknown;
  /** The successful reply's body; absent for 204. */
  readonly reply?: unknown;
  /** An error reply telling of this operation, in place of the one said for its status by default. */
  readonly problem?: { readonly status: number; readonly text: ProblemText; readonly rows?: ImportPreviewProblem[] };
}

const ENTRY_ID = "0b8f4c1e-5a7d-4e2b-9c3f-6d1a2b3c4d5e";
const FOLDER_ID = "7c2e9a40-1b3d-4f5e-8a6b-9c0d1e2f3a4b";
const OWNER_ID = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
const IMPORT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

const session: SessionInfo = {
  user: { id: OWNER_ID, username: "alice", displayName: "Alice Martin", role: "admin" },
  csrfToken: "kq3V1w8xLr0dYb2N5tZs7uPc",
  expiresAt: "2026-12-01T21:00:00.000Z",
};
const signedIn: SignInReply = { status: "signed_in", session, token: "ww_5f2b8c1d9e4a7f3b6c0d2e8a1b4c7d9f" };

const entry: EntryDetail = {
  id: ENTRY_ID,
  name: "AWS root",
  folderId: FOLDER_ID,
  issuer: "Amazon Web Services",
  account: "root@example.com",
  url: "https://console.aws.amazon.com/",
  tags: ["cloud"],
  templateId: "otp-only",
  ownerId: OWNER_ID,
  otp: { type: "totp", algorithm: "SHA1", digits: 6, period: 30, seedUpdatedAt: "2026-11-30T09:12:00.000Z" },
  recoveryCodes: { total: 10, remaining: 9 },
  updatedAt: "2026-11-30T09:12:00.000Z",
  username: null,
  notes: null,
  templateName: "OTP only",
  fields: [],
  createdAt: "2026-11-30T09:12:00.000Z",
  canManage: true,
};
const entryReply: EntryReply = { entry, warnings: [] };
const { username: _username, notes: _notes, templateName: _templateName, fields: _fields, createdAt: _createdAt, canManage: _canManage, ...summary } = entry;

const code: CodeReply = { code: "492039", type: "totp", digits: 6, period: 30, validFrom: 1795420800, validUntil: 1795420830 };
const folder: Folder = { id: FOLDER_ID, name: "Finance", entryCount: 3 };
const template: Template = {
  id: "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a",
  name: "Bank portal",
  builtIn: false,
  fields: [
    { key: "customer_number", label: "Customer number", type: "text", required: true },
    { key: "pin", label: "PIN", type: "secret", required: true },
    { key: "seed", label: "OTP seed", type: "otp", required: false },
  ],
  entryCount: 3,
};
const templateRequest = { name: template.name, fields: template.fields };
const noOtp: ImportPreviewProblem = { index: 1, label: "Entry 2", labelKey: "entry", labelParams: { number: 2 }, message: "The entry has no OTP information.", key: "import_entry_no_otp", params: {} };
const reason = { reason: "Locked out of the registrar, ticket OPS-1234" };

export const OPERATION_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  "GET /healthz": { reply: { status: "ok" } satisfies HealthReply },
  "GET /readyz": { reply: { status: "ready", database: "ok", migrations: "current" } satisfies ReadinessReply },
  "POST /api/v1/auth/sign-in": { request: { username: "alice", password: "correct horse battery staple", client: "cli" }, reply: signedIn },
  "POST /api/v1/auth/sign-out": { request: {} },
  "POST /api/v1/users/unlock": {
    request: { username: "bob" },
    reply: { user: { id: ENTRY_ID, username: "bob", displayName: "Bob Durand", role: "member" }, wasLocked: true, failedSignInsCleared: 100 } satisfies UnlockUserReply,
  },
  "GET /api/v1/session": { reply: session },
  "POST /api/v1/setup/status": { request: { token: "Qm9vdHN0cmFwLXRva2VuLWZyb20tdGhlLWxpbms" }, reply: { state: "ready" } },
  "POST /api/v1/setup": {
    request: { token: "Qm9vdHN0cmFwLXRva2VuLWZyb20tdGhlLWxpbms", username: "alice", displayName: "Alice Martin", password: "correct horse battery staple" },
    reply: { status: "signed_in", session },
  },
  "GET /api/v1/entries": { reply: { entries: [summary] } satisfies EntryList },
  "POST /api/v1/entries": { request: { name: "AWS root", folderId: FOLDER_ID, seed: { secret: "JBSWY3DPEHPK3PXP" }, tags: ["cloud"] }, reply: entryReply },
  "GET /api/v1/entries/{id}": { reply: entry },
  "PATCH /api/v1/entries/{id}": { request: { name: "AWS root (prod)", tags: ["cloud", "prod"] }, reply: entryReply },
  "DELETE /api/v1/entries/{id}": {},
  "PUT /api/v1/entries/{id}/seed": { request: { uri: "otpauth://totp/AWS:root@example.com?secret=JBSWY3DPEHPK3PXP&issuer=AWS" }, reply: entryReply },
  "GET /api/v1/entries/{id}/code": { reply: code },
  "POST /api/v1/entries/{id}/code": { request: {}, reply: { ...code, type: "hotp", period: null, validUntil: null } satisfies CodeReply },
  "GET /api/v1/codes": { reply: { codes: [{ entryId: ENTRY_ID, ...code }], problems: [], serverTime: 1795420812.25 } satisfies BatchCodesReply },
  "POST /api/v1/entries/{id}/recovery-codes/next": { request: reason, reply: { code: "7XQ4-M2PK", remaining: 8 } satisfies RecoveryCodeReply },
  "POST /api/v1/entries/{id}/recovery-codes/all": {
    request: reason,
    reply: { codes: [{ code: "7XQ4-M2PK", used: true }, { code: "C9RT-5WNE", used: false }] } satisfies AllRecoveryCodesReply,
  },
  "PUT /api/v1/entries/{id}/recovery-codes": { request: { codes: ["7XQ4-M2PK", "C9RT-5WNE", "H3LV-8DJA"] }, reply: entryReply },
  "POST /api/v1/entries/{id}/fields/{key}/reveal": { request: reason, reply: { value: "plum-orbit-4417" } satisfies RevealFieldReply },
  "GET /api/v1/folders": { reply: { folders: [folder] } },
  "POST /api/v1/folders": { request: { name: "Finance" }, reply: { ...folder, entryCount: 0 } satisfies Folder },
  "PATCH /api/v1/folders/{id}": { request: { name: "Finance and payroll" }, reply: { ...folder, name: "Finance and payroll" } satisfies Folder },
  "DELETE /api/v1/folders/{id}": {},
  "GET /api/v1/templates": { reply: { templates: [template] } },
  "POST /api/v1/templates": { request: templateRequest, reply: { ...template, entryCount: 0 } satisfies Template },
  "PUT /api/v1/templates/{id}": { request: { ...templateRequest, name: "Bank login" }, reply: { ...template, name: "Bank login" } satisfies Template },
  "DELETE /api/v1/templates/{id}": {},
  "POST /api/v1/imports": {
    request: { data: "eyJ2ZXJzaW9uIjoxLCJkYiI6eyJlbnRyaWVzIjpbXX19", format: "aegis", fileName: "aegis-export.json" },
    reply: {
      importId: IMPORT_ID,
      format: "aegis",
      expiresAt: "2026-12-01T10:30:00.000Z",
      entries: [
        { index: 0, name: "GitHub (alice)", issuer: "GitHub", account: "alice", folder: "Work", type: "totp", algorithm: "SHA1", digits: 6, period: 30, duplicateOf: null, warnings: [] },
      ],
      problems: [noOtp],
    } satisfies ImportPreview,
    // Nothing importable: the sentence counts, the rows say why, each by key.
    problem: { status: 400, text: { key: "import_nothing_importable", params: { count: 1 } }, rows: [{ ...noOtp, index: 0, label: "Entry 1", labelParams: { number: 1 } }] },
  },
  "POST /api/v1/imports/{id}/confirm": { request: { folderId: FOLDER_ID, include: [0] }, reply: { created: [{ index: 0, id: ENTRY_ID, name: "GitHub (alice)" }] } satisfies ConfirmImportReply },
  "DELETE /api/v1/imports/{id}": {},
};
