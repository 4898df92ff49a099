// Verifying the audit chain from the web app. The reply is the verdict of
// POST /api/v1/audit/verify; `onProgress` hears how far the server got when it streams progress.
import type { AuditVerificationReply } from "../../../src/contract/audit.js";
import { client } from "../ui/api-client.js";

export interface VerifyProgress {
  readonly checked: number;
  readonly total: number;
}

export async function verifyAuditChain(onProgress: (progress: VerifyProgress) => void): Promise<AuditVerificationReply> {
  void onProgress;
  return client.verifyAudit();
}
