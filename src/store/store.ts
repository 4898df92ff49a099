// The Store the services use: one object per database with a repository per concern, and
// transactions that hand the same shape back over one connection.
import { sql, type Kysely } from "kysely";
import { createDataKeyStore, type DataKeyRecordStore } from "./data-keys.js";
import { createDeviceTokenStore, type DeviceTokenStore } from "./device-tokens.js";
import type { DialectCapabilities } from "./dialect.js";
import { openDatabase, type Connection, type DatabaseTarget, type PoolStats } from "./connect.js";
import { migrateToLatest, readMigrationStatus, type MigrationStatus } from "./migrate.js";
import type { Database } from "./schema.js";
import { ensureSearchIndex } from "./search-index.js";
import { createSessionStore, type SessionStore } from "./sessions.js";
import { createSetupTokenStore, type SetupTokenStore } from "./setup-tokens.js";
import { createSignInFailureStore, type SignInFailureStore } from "./sign-in-failures.js";
import { createUserStore, type UserStore } from "./users.js";
import { createUserFactorStore, type UserFactorStore } from "./user-factors.js";
import { createSignInChallengeStore, type SignInChallengeStore } from "./sign-in-challenges.js";
import { createUserLinkStore, type UserLinkStore } from "./user-links.js";
import { createLookupCache } from "./lookup-cache.js";
import { composedSessionHolders, joinedSessionHolders } from "./session-holders.js";
import type { StorageCheck } from "./sqlite-file-health.js";
import { problem, type ProblemText } from "../core/errors.js";
import type { UserId } from "../core/ids.js";
import { createAuditEventStore, type AuditEventStore, type AuditLinkSlot } from "./audit-events.js";
import { createAuditQueryStore, type AuditQueryStore } from "./audit-query.js";
import type { LinkFunction } from "../core/audit-chain.js";
import { createEntryStore, type EntryStore } from "./entries.js";
import { createFolderStore, createTemplateStore, type FolderStore, type TemplateStore } from "./folders-templates.js";
import { createPendingImportStore, type PendingImportStore } from "./pending-imports.js";
import { createRecoveryCodeStore, type RecoveryCodeStore } from "./recovery-codes.js";
import { createAccessPolicyStore, type AccessPolicyStore } from "./access-policies.js";
import { createAccessRequestStore, type AccessRequestStore } from "./access-requests.js";
import { createApiTokenStore, type ApiTokenStore } from "./api-tokens.js";
import { createGrantStore, type GrantStore } from "./grants.js";
import { createGrantDirectoryStore, type GrantDirectoryStore } from "./grant-directory.js";
import { createGroupStore, type GroupStore } from "./groups.js";
import { createPolicyListingStore, type PolicyListingStore } from "./policy-listing.js";
import { createServiceAccountStore, type ServiceAccountStore } from "./service-accounts.js";
import { createNotificationMarkStore, type NotificationMarkStore } from "./notification-marks.js";
import { createOutboxStore, type OutboxStore } from "./outbox.js";
import { createAlertSubscriptionStore, type AlertSubscriptionStore } from "./alert-subscriptions.js";
import { createSignInRecoveryCodeStore, type SignInRecoveryCodeStore } from "./sign-in-recovery-codes.js";
import { createSsoFlowStore, type SsoFlowStore } from "./sso-flows.js";
import { createUserIdentityStore, type UserIdentityStore } from "./user-identities.js";
import { createPasskeyStore, type PasskeyStore } from "./passkeys.js";
import { createPushApprovalStore, type PushApprovalStore } from "./push-approvals.js";
import { createRecoveryMethodStore, type RecoveryMethodStore } from "./recovery-methods.js";
import { createStepUpStore, type StepUpStore } from "./step-ups.js";
import { createMfaEnforcementStore, type MfaEnforcementStore } from "./mfa-enforcement.js";

export interface Repositories {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly setupTokens: SetupTokenStore;
  readonly signInFailures: SignInFailureStore;
  readonly deviceTokens: DeviceTokenStore;
  readonly dataKeys: DataKeyRecordStore;
  readonly entries: EntryStore;
  readonly folders: FolderStore;
  readonly templates: TemplateStore;
  readonly recoveryCodes: RecoveryCodeStore;
  readonly auditEvents: AuditEventStore;
  /** Filtered, keyset-paged reading of the audit log (audit-query.ts). */
  readonly auditQuery: AuditQueryStore;
  readonly pendingImports: PendingImportStore;
  // People and policy (migration 0004).
  readonly groups: GroupStore;
  readonly serviceAccounts: ServiceAccountStore;
  readonly apiTokens: ApiTokenStore;
  readonly grants: GrantStore;
  readonly accessPolicies: AccessPolicyStore;
  readonly policyListing: PolicyListingStore;
  readonly accessRequests: AccessRequestStore;
  // People (migration 0006).
  readonly userLinks: UserLinkStore;
  /** Grants with names, the principal picker, the guarded insert (grant-directory.ts). */
  readonly grantDirectory: GrantDirectoryStore;
  /** How far each user has read their in-app notifications. */
  readonly notificationMarks: NotificationMarkStore;
  /** Deliveries leaving Watchword: SIEM destinations, alerts (migration 0010). */
  readonly outbox: OutboxStore;
  /** Alert subscriptions and their waiting deliveries (migration 0011). */
  readonly alertSubscriptions: AlertSubscriptionStore;
  /** Users' own sign-in recovery codes, as salted hashes (migration 0016). */
  readonly signInRecoveryCodes: SignInRecoveryCodeStore;
  /** Single sign-on flows under way (migration 0018). */
  readonly ssoFlows: SsoFlowStore;
  /** The provider identities users sign in as (migration 0018). */
  readonly userIdentities: UserIdentityStore;
  /** Passkeys and security keys, and WebAuthn challenges (migration 0017). */
  readonly passkeys: PasskeyStore;
  /** Push approval: registered devices, their requests, the VAPID key pair (migration 0020). */
  readonly pushApprovals: PushApprovalStore;
  /** Users' second factors and the second steps of sign-ins (migration 0015). */
  readonly userFactors: UserFactorStore;
  readonly signInChallenges: SignInChallengeStore;
  /** Account-recovery methods, their codes and recoveries (migration 0022). */
  readonly recoveryMethods: RecoveryMethodStore;
  /** Step-up before codes and the administrators' MFA rule (migration 0023). */
  readonly stepUps: StepUpStore;
  readonly mfaEnforcement: MfaEnforcementStore;
}

/** The repositories inside one transaction, plus nested savepoints. */
export interface TransactionScope extends Repositories {
  /** Runs `work` in a savepoint: if it throws, only its own writes are undone and the error is rethrown. */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

export interface NotReady {
  readonly check: "database" | StorageCheck;
  /** A sentence for the operator, by catalogue key. */
  readonly detail: ProblemText;
}

export interface Store extends Repositories {
  readonly dialect: DialectCapabilities;
  readonly description: string;
  /**
   * Hands the store the function that links audit events (the audit key's, once the keyring is
   * open): appending before that throws, so no event is ever written with a weaker link.
   */
  linkAuditChainWith(link: LinkFunction): void;
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: TransactionScope) => Promise<T>): Promise<T>;
  migrate(): Promise<string[]>;
  migrationStatus(): Promise<MigrationStatus>;
  /**
   * PostgreSQL: creates the trigram index searches use when pg_trgm is installed and the index is
   * missing; false when pg_trgm is not installed, and search reads every entry instead. SQLite,
   * which has no such index, answers true (see search-index.ts).
   */
  ensureSearchIndex(): Promise<boolean>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  /** This node's connections to the database: open, idle, callers waiting (for the metrics). */
  poolStats(): PoolStats;
  /**
   * The first readiness check that fails, or undefined: the database answers and, for a SQLite
   * file, it is still the file opened, writable, with room on its disk (see sqlite-file-health.ts).
   */
  readiness(): Promise<NotReady | undefined>;
  close(): Promise<void>;
}

function repositories(db: Kysely<Database>, dialect: DialectCapabilities, links: AuditLinkSlot): Repositories {
  const users = createUserStore(db);
  const groups = createGroupStore(db);
  const sessions = createSessionStore(db, ({ findSession }) =>
    dialect.name === "postgres" ? joinedSessionHolders(db) : composedSessionHolders({ findSession, findUserById: users.findUserById, listGroupIdsOfUser: groups.listGroupIdsOfUser }),
  );
  return {
    entries: createEntryStore(db),
    folders: createFolderStore(db),
    templates: createTemplateStore(db),
    recoveryCodes: createRecoveryCodeStore(db),
    auditEvents: createAuditEventStore(db, dialect, links),
    auditQuery: createAuditQueryStore(db),
    pendingImports: createPendingImportStore(db),
    users,
    sessions,
    setupTokens: createSetupTokenStore(db),
    signInFailures: createSignInFailureStore(db),
    deviceTokens: createDeviceTokenStore(db),
    dataKeys: createDataKeyStore(db),
    groups,
    serviceAccounts: createServiceAccountStore(db),
    apiTokens: createApiTokenStore(db),
    grants: createGrantStore(db),
    accessPolicies: createAccessPolicyStore(db),
    policyListing: createPolicyListingStore(db),
    accessRequests: createAccessRequestStore(db),
    userLinks: createUserLinkStore(db),
    grantDirectory: createGrantDirectoryStore(db),
    notificationMarks: createNotificationMarkStore(db),
    outbox: createOutboxStore(db),
    alertSubscriptions: createAlertSubscriptionStore(db),
    signInRecoveryCodes: createSignInRecoveryCodeStore(db),
    ssoFlows: createSsoFlowStore(db),
    userIdentities: createUserIdentityStore(db),
    passkeys: createPasskeyStore(db),
    pushApprovals: createPushApprovalStore(db),
    userFactors: createUserFactorStore(db),
    signInChallenges: createSignInChallengeStore(db),
    recoveryMethods: createRecoveryMethodStore(db),
    stepUps: createStepUpStore(db),
    mfaEnforcement: createMfaEnforcementStore(db),
  };
}

/** The per-request look-ups answered from memory while nothing they read changes, where the dialect can tell. */
function withCachedLookups(base: Repositories, connection: Connection): Repositories {
  if (connection.changes === undefined) return base;
  const lookups = createLookupCache({
    foreignVersion: connection.changes.foreignVersion,
    load: {
      findSession: base.sessions.findSession,
      findUserById: (id) => base.users.findUserById(id as UserId),
      findEntry: base.entries.findEntry,
      listGroupIdsOfUser: base.groups.listGroupIdsOfUser,
      loadEntryAccess: base.accessPolicies.loadEntryAccess,
    },
  });
  connection.changes.onLocalWrite(lookups.invalidate);
  return {
    ...base,
    sessions: {
      ...base.sessions,
      findSession: lookups.findSession,
      findSessionHolder: composedSessionHolders({ findSession: lookups.findSession, findUserById: lookups.findUserById, listGroupIdsOfUser: lookups.listGroupIdsOfUser }),
    },
    users: { ...base.users, findUserById: lookups.findUserById },
    entries: { ...base.entries, findEntry: lookups.findEntry },
    groups: { ...base.groups, listGroupIdsOfUser: lookups.listGroupIdsOfUser },
    accessPolicies: { ...base.accessPolicies, loadEntryAccess: lookups.loadEntryAccess },
  };
}

export function createStore(connection: Connection): Store {
  const { db, dialect, description, durable } = connection;
  const links: AuditLinkSlot = { link: undefined };
  return {
    ...withCachedLookups(repositories(db, dialect, links), connection),
    dialect,
    description,
    linkAuditChainWith(link) {
      links.link = link;
    },
    transaction: async (work) => {
      const result = await db.transaction().execute((trx) => {
        let counter = 0;
        return work({
          ...repositories(trx, dialect, links),
          async savepoint(inner) {
            const name = sql.raw(`sp_${(counter += 1)}`);
            await sql`savepoint ${name}`.execute(trx);
            try {
              const result = await inner();
              await sql`release savepoint ${name}`.execute(trx);
              return result;
            } catch (error) {
              await sql`rollback to savepoint ${name}`.execute(trx);
              throw error;
            }
          },
        });
      });
      await durable();
      return result;
    },
    async migrate() {
      const applied = await migrateToLatest(db, dialect);
      await durable();
      return applied;
    },
    migrationStatus: () => readMigrationStatus(db, dialect),
    ensureSearchIndex: () => ensureSearchIndex(db as Kysely<unknown>, dialect),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async readiness() {
      try {
        await sql`select 1`.execute(db);
      } catch {
        return { check: "database", detail: problem("database_unreachable") };
      }
      return connection.storageProblem?.();
    },
    poolStats: connection.poolStats,
    close: connection.close,
  };
}

export { absentDatabase } from "./connect.js";

export function openStore(target: DatabaseTarget): Store {
  return createStore(openDatabase(target));
}
