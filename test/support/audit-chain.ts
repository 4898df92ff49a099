// Verifies a test vault's audit chain the way `watchword audit verify` does, without checkpoints.
import type { AuditKey } from "../../src/crypto/audit-key.js";
import { verifyAuditChain, type AuditVerification } from "../../src/services/audit-verify.js";
import type { Store } from "../../src/store/store.js";

export const verifyStoredChain = (vault: { readonly store: Pick<Store, "auditEvents">; readonly keyring: { readonly auditKey: AuditKey } }): Promise<AuditVerification> =>
  verifyAuditChain({ auditEvents: vault.store.auditEvents, auditKey: vault.keyring.auditKey }, { checkpoints: [], checkpointFile: "(no checkpoint file)" });
