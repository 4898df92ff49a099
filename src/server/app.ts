// Builds the Fastify application from its parts. Thin: routes parse, authenticate, call one
// service and shape the reply; every rule lives in services/ and core/.
import { cachingSerializerFactory } from "./serializer-cache.js";
import { randomUUID } from "node:crypto";
import path from "node:path";
import cookie from "@fastify/cookie";
import Fastify, { type FastifyInstance } from "fastify";
import type { ServerConfig } from "../config.js";
import type { Clock } from "../core/clock.js";
import type { Keyring } from "../crypto/keyring.js";
import { createAccountService } from "../services/accounts.js";
import { createDeviceTokenService } from "../services/device-tokens.js";
import { createSessionService } from "../services/sessions.js";
import { createSecondFactors } from "../services/second-factors.js";
import { createTotpVerifier } from "../services/totp-factors.js";
import { createSignInChallengeService } from "../services/sign-in-challenges.js";
import { createReauthenticationService } from "../services/reauthentication.js";
import { createSecurityNotices } from "../services/security-notices.js";
import { createPasskeyVerifier } from "../services/passkey-verifier.js";
import { createOwnFactorService } from "../services/own-factors.js";
import { registerOwnFactorRoutes } from "./routes/own-factors.js";
import { createApiTokenAuthenticator } from "../services/api-token-authentication.js";
import { createServiceAccountService } from "../services/service-accounts.js";
import { registerServiceAccountRoutes } from "./routes/service-accounts.js";
import { createAccessService } from "../services/access.js";
import { createSetupService } from "../services/setup.js";
import type { Store } from "../store/store.js";
import { registerAuthentication } from "./authentication.js";
import { logOptions, standardOutputLog, streamLog } from "./logger.js";
import { registerOpenApi } from "./openapi.js";
import { registerProblemHandlers } from "./problems.js";
import { registerAuthRoutes } from "./routes/auth.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerSetupRoutes } from "./routes/setup.js";
import { registerCatalogRoutes } from "./routes/catalog.js";
import { registerCodeRoutes } from "./routes/codes.js";
import { registerEntryRoutes } from "./routes/entries.js";
import { registerImportRoutes } from "./routes/imports.js";
import { registerUserRoutes } from "./routes/users.js";
import { registerAccountRoutes } from "./routes/account.js";
import { registerGroupRoutes } from "./routes/groups.js";
import { registerUserLinkRoutes } from "./routes/user-links.js";
import { createGroupService } from "../services/groups.js";
import { createSmtpMailer } from "../services/mailer.js";
import { createRequestMailNotifier } from "../services/request-mail.js";
import { createOwnAccountService } from "../services/own-account.js";
import { createPeopleService } from "../services/people.js";
import { createUserLinkService } from "../services/user-links.js";
import { registerGrantRoutes } from "./routes/grants.js";
import { createGrantService } from "../services/grants.js";
import { registerAccessRequestRoutes } from "./routes/access-requests.js";
import { createAccessRequestService, type AccessRequestNotifier } from "../services/access-requests.js";
import { createEntryPolicyService } from "../services/entry-policies.js";
import { createNotificationService } from "../services/notifications.js";
import { createAccountLockService } from "../services/account-locks.js";
import { createImportService } from "../services/imports.js";
import { createImportPool, type ImportPool } from "../services/import-pool.js";
import { createAuditLog } from "../services/audit-log.js";
import { createAuditCheckpoints } from "../services/audit-checkpoints.js";
import { createOutbox, delivererHolderName } from "../services/outbox.js";
import { createSiemCheckpointSink, startSiemDelivery } from "../services/siem-delivery.js";
import { createSiemDestinationService } from "../services/siem-destinations.js";
import { registerAuditDestinationRoutes } from "./routes/audit-destinations.js";
import { checkpointFileIn, createAuditCheckpointWriter } from "../store/audit-checkpoint-file.js";
import { registerAuditRoutes } from "./routes/audit.js";
import { registerDenialAudit } from "./audit-denials.js";
import { createCatalogService } from "../services/catalog.js";
import { createCodeService } from "../services/codes.js";
import { createHotpMarks } from "../services/hotp-marks.js";
import { createHotpMarkWriter, hotpMarkFileIn } from "../store/hotp-mark-file.js";
import { createEntryService } from "../services/entries.js";
import { createRecoveryCodeService } from "../services/recovery-codes.js";
import { registerSecurity } from "./security.js";
import { registerTextInputCheck } from "./text-input.js";
import { registerWebApp } from "./web.js";
import { packageVersion } from "../version.js";
import { createAlertService } from "../services/alerts.js";
import { createAlertProducer, startAlertDeliverer, type DeliveryTiming } from "../services/alert-delivery.js";
import { registerAlertRoutes } from "./routes/alerts.js";
import { startAuditRetention } from "../services/audit-retention.js";
import { registerAccountSecurityRoutes } from "./routes/account-security.js";
import { createSignInRecoveryCodeService } from "../services/sign-in-recovery-codes.js";
import { createOwnSessionService } from "../services/own-sessions.js";
import { createRecoveryCodeVerifier } from "../services/recovery-code-verifier.js";
import { createPushApprovalService } from "../services/push-approvals.js";
import { createPushDelivery, type DeliveryOutcome } from "../services/push-delivery.js";
import { createVapidKeySource } from "../services/vapid-keys.js";
import { registerPushApprovalRoutes } from "./routes/push-approval.js";
import { createSecondFactorThrottle } from "../services/second-factor-throttle.js";
import { registerSsoRoutes } from "./routes/sso.js";
import { createSsoService } from "../services/sso.js";
import { createRelyingParty } from "../services/oidc-relying-party.js";
import { registerPasskeyRoutes } from "./routes/passkeys.js";
import { createPasskeyService } from "../services/passkeys.js";
import { createPasskeySignInService } from "../services/passkey-sign-in.js";
import type { Metrics } from "./metrics.js";
import { registerMetricsRoute } from "./metrics-endpoint.js";
import { registerRecoveryMethodRoutes } from "./routes/recovery-method.js";
import { createRecoveryCodeAttempts } from "../services/recovery-code-attempts.js";
import { createRecoveryMethodService } from "../services/recovery-method.js";
import { createAccountRecoveryService } from "../services/account-recovery.js";
import { createSmsGateway } from "../services/sms-gateway.js";
import { createMfaEnforcementService, type HeldMethods } from "../services/mfa-enforcement.js";
import { createStepUpService } from "../services/step-ups.js";
import { registerEnrolmentGate } from "./enrolment-gate.js";
import { registerMfaEnforcementRoutes } from "./routes/mfa-enforcement.js";
import { registerStepUpRoutes } from "./routes/step-ups.js";

/** Largest JSON body accepted; later endpoints that take uploads set their own limit. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface AppDeps {
  readonly config: Pick<ServerConfig, "logLevel" | "trustProxy" | "webDir" | "importMemoryMb" | "dataDir" | "auditCheckpoint"> &
    Partial<Pick<ServerConfig, "publicUrl" | "smtp" | "alertTargets" | "siem" | "outbox" | "auditRetention" | "auditArchive" | "oidc" | "webauthn" | "sudoMinutes" | "stepUpMinutes" | "metrics" | "sms" | "recoveryWaitHours">>;
  readonly store: Store;
  readonly keyring: Keyring;
  readonly clock: Clock;
  /** Where logs go (tests capture them to search for leaked secrets); stdout by default. */
  readonly logStream?: NodeJS.WritableStream;
  /** Where uploads are read; by default worker threads sized by config.importMemoryMb. The app closes it. */
  readonly importPool?: ImportPool;
  /** Tells people of access requests beyond the app (e-mail); in-app notifications need none. */
  readonly notifier?: AccessRequestNotifier;
  /** How alert deliveries are polled and retried (tests shorten the waits). */
  readonly alertDelivery?: Partial<DeliveryTiming>;
  /** The wait before the server's first archive run (config.auditRetention); a minute by default. */
  readonly auditRetentionFirstRunMs?: number;
  /** Serve HTTPS with this certificate and key (PEM); run.ts swaps them on SIGHUP. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Tests only: Web Push subscriptions may point at an http receiver on loopback. */
  readonly allowHttpPushEndpoints?: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Resolves once the access-request notifications (mails) started so far are done; replies never wait for them. */
    notificationsSettled(): Promise<void>;
    /** Resolves once the Web Push deliveries started so far are done, with their outcomes. */
    pushDeliveriesSettled(): Promise<DeliveryOutcome[]>;
    /** Resolves once the account-recovery notices started so far are done (tests). */
    recoveryNoticesSettled(): Promise<void>;
    /** This node's metrics when WATCHWORD_METRICS_* asks for them (run.ts serves a separate listener from it). */
    readonly metrics: Metrics | undefined;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store, clock } = deps;
  const log = deps.logStream === undefined ? standardOutputLog() : streamLog(deps.logStream);
  const app = Fastify({
    // Fastify's https option types the app as an https server; the handlers are the same.
    ...((deps.tls === undefined ? {} : { https: { cert: deps.tls.cert, key: deps.tls.key } }) as object),
    ...logOptions(config.logLevel, log.stream),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    schemaController: { compilersFactory: { buildSerializer: cachingSerializerFactory() } },
  });
  // The API speaks JSON only: a form or text body (what a cross-site form can send) is refused with 415.
  app.removeContentTypeParser("text/plain");
  // Graceful stop: requests in flight when close() begins still finish, and their keep-alive
  // connections are told to close, so the server does not wait for idle clients to hang up.
  let isClosing = false;
  app.addHook("preClose", async () => {
    isClosing = true;
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (isClosing) reply.header("connection", "close");
    done(null, payload);
  });
  app.addHook("onClose", (_instance, done) => {
    log.flush();
    done();
  });

  // prom-client loads only when metrics are asked for: a node without them starts as before.
  const metrics =
    config.metrics === undefined
      ? undefined
      : (await import("./metrics.js")).createMetrics({ store, onCollectError: (error) => app.log.warn({ err: error }, "outbox backlog not read for the metrics") });
  app.decorate("metrics", metrics);
  metrics?.observeRequests(app);

  registerProblemHandlers(app);
  registerTextInputCheck(app);
  await registerSecurity(app);
  await app.register(cookie);
  await registerOpenApi(app, packageVersion());

  const { keyring } = deps;
  const checkpointFile = checkpointFileIn(config.dataDir);
  // Deliveries leaving Watchword (SIEM, alerts) are written in each audit batch's transaction.
  const outbox = createOutbox({ clock });
  const siemDestinations = config.siem ?? [];
  const checkpointWriter = createAuditCheckpointWriter(checkpointFile);
  const checkpoints = createAuditCheckpoints({
    sinks: [
      checkpointWriter,
      ...(siemDestinations.length === 0 ? [] : [createSiemCheckpointSink({ store, destinations: siemDestinations, clock, outbox })]),
    ],
    keyId: keyring.auditKey.keyId,
    clock,
    ...config.auditCheckpoint,
    onError: (error) => app.log.error({ err: error }, "audit checkpoint not written"),
  });
  const auditLog = createAuditLog({
    store,
    clock,
    onAppended: outbox.onAppended,
    onCommitted: (head) => {
      checkpoints.noteHead(head);
      outbox.wake();
    },
    ...(metrics === undefined ? {} : { onBatch: metrics.observeAuditBatch }),
  });
  // Alerts: one outbox message per watching subscription, sent by this node when it holds the lease.
  const alertTargets = config.alertTargets ?? { allowPrivate: false };
  outbox.addProducer(createAlertProducer({ publicUrl: config.publicUrl }));
  const outboxTiming = config.outbox ?? { leaseSeconds: 15, pollMs: 1000, retryMaxSeconds: 60 };
  const siem = await startSiemDelivery({
    store,
    outbox,
    clock,
    destinations: siemDestinations,
    timing: { leaseMs: outboxTiming.leaseSeconds * 1000, pollMs: outboxTiming.pollMs, retryMaxMs: outboxTiming.retryMaxSeconds * 1000 },
    // The reason names the destination's host only, never a webhook's path or secret.
    onFailure: (destination, reason) => app.log.warn({ destination, reason }, "SIEM delivery failed; retrying"),
  });
  // The last checkpoint is written first, so that the deliverers' last round sends it.
  app.addHook("onClose", async () => {
    await checkpoints.close();
    await siem.stop();
  });
  if (config.auditRetention !== undefined) {
    const archive = config.auditArchive ?? { directory: path.join(config.dataDir, "audit-archive"), intervalMinutes: 1440 };
    const retention = startAuditRetention(
      { store, auditLog, auditKey: keyring.auditKey, checkpoints: checkpointWriter, now: () => clock.now(), siemDestinations: siemDestinations.map((destination) => destination.name) },
      {
        retention: config.auditRetention,
        directory: archive.directory,
        intervalMs: archive.intervalMinutes * 60_000,
        firstRunMs: deps.auditRetentionFirstRunMs ?? 60_000,
        onArchived: (result) => app.log.info({ count: result.count, firstSeq: result.firstSeq, throughSeq: result.throughSeq, file: result.file }, "audit events archived"),
        onError: (error) => app.log.error({ err: error }, "audit events not archived"),
      },
    );
    // Before anything closes: a run in progress finishes with the checkpoint file still open.
    app.addHook("preClose", () => retention.stop());
  }
  const devices = createDeviceTokenService({ deviceTokens: store.deviceTokens, signInFailures: store.signInFailures, clock });
  // Mail needs SMTP, which needs the public address (config.ts); links point at that address.
  const mailer = config.smtp === undefined ? undefined : createSmtpMailer(config.smtp);
  if (mailer !== undefined) app.addHook("onClose", async () => mailer.close());
  const signInRecoveryCodes = createSignInRecoveryCodeService({ store, auditLog, clock });
  // Passkeys: the relying party is WATCHWORD_PUBLIC_URL's (config.ts); without it they answer 503.
  const passkeyDeps = { store, auditLog, clock, relyingParty: config.webauthn };
  const passkeySignIn = createPasskeySignInService(passkeyDeps);
  // Push approval: its VAPID key is made (sealed) on first use; Web Push signs as the public address.
  const vapid = createVapidKeySource({ store: store.pushApprovals, keyring, clock });
  const push = createPushApprovalService({
    store: store.pushApprovals,
    challenges: store.signInChallenges,
    users: store.users,
    auditLog,
    clock,
    vapidPublicKey: () => vapid.publicKey(),
    requireRecent: (actor) => reauthentication.requireRecent(actor),
    delivery: createPushDelivery({ vapid, subject: config.publicUrl?.startsWith("https:") === true ? config.publicUrl : "mailto:watchword@localhost.invalid" }),
    warn: (failure) => app.log.warn(failure, "push request not delivered by Web Push"),
  });
  app.decorate("pushDeliveriesSettled", () => push.deliveriesSettled());
  const secondFactors = createSecondFactors([
    createTotpVerifier({ factors: store.userFactors, keyring, clock }),
    createPasskeyVerifier({ passkeys: store.passkeys, passkeySignIn, isConfigured: config.webauthn !== undefined }),
    push.verifier,
    createRecoveryCodeVerifier(signInRecoveryCodes),
  ]);
  // Which methods a user holds, for the administrators' MFA rule: the verifier registry's (passkeys
  // and push approval are verifiers in it, so nothing else needs asking).
  const heldMethods: HeldMethods = async (userId) => new Set<string>(await secondFactors.methodsOf(userId));
  const access = createAccessService({ store, clock });
  const enforcement = createMfaEnforcementService({ store, access, heldMethods, auditLog, clock });
  const sessions = createSessionService({ sessions: store.sessions, users: store.users, groups: store.groups, clock, auditLog, enforcement });
  const secondFactorThrottle = createSecondFactorThrottle({ store, auditLog, clock, mailer, warn: (failure) => app.log.warn(failure, "second-factor mail not sent") });
  const accounts = createAccountService({
    users: store.users,
    signInFailures: store.signInFailures,
    devices,
    clock,
    auditLog,
    secondFactors,
    ...(config.oidc === undefined ? {} : { ssoOnly: { domains: config.oidc.ssoOnlyDomains, label: config.oidc.label } }),
  });
  const challenges = createSignInChallengeService({ challenges: store.signInChallenges, users: store.users, secondFactors, auditLog, clock, throttle: secondFactorThrottle, passkeySignIn });
  const securityNotices = createSecurityNotices({ store, mailer, clock, warn: (failure) => app.log.warn(failure, "security notice mail not sent") });
  app.addHook("preClose", () => securityNotices.settled());
  const reauthentication = createReauthenticationService({ store, secondFactors, auditLog, clock, sudoMinutes: config.sudoMinutes ?? 10, passkeySignIn, push });
  const setup = createSetupService({ repositories: store, transaction: (work) => store.transaction(work), clock, auditLog });
  registerDenialAudit(app, { auditLog, store });
  const entries = createEntryService({ store, access, keyring, auditLog, clock });
  const hotpMarks = createHotpMarks({ file: hotpMarkFileIn(config.dataDir), writer: createHotpMarkWriter(hotpMarkFileIn(config.dataDir)) });
  app.addHook("onClose", () => hotpMarks.close());
  const stepUps = createStepUpService({ store, access, secondFactors, throttle: secondFactorThrottle, auditLog, clock, stepUpMinutes: config.stepUpMinutes ?? 5, push });
  const codes = createCodeService({ store, access, entries, keyring, auditLog, clock, hotpMarks, stepUps });
  const recovery = createRecoveryCodeService({ store, entries, keyring, auditLog, clock, stepUps });
  const catalog = createCatalogService({ store, access, auditLog, clock });
  const importPool = deps.importPool ?? createImportPool({ memoryBudgetBytes: config.importMemoryMb * 1024 * 1024 });
  app.addHook("onClose", () => importPool.close());
  const imports = createImportService({ store, access, keyring, auditLog, clock, pool: importPool });
  const notifier =
    deps.notifier ??
    (mailer === undefined || config.publicUrl === undefined
      ? undefined
      : createRequestMailNotifier({ store, access, mailer, publicUrl: config.publicUrl, warn: (failure) => app.log.warn(failure, "access request mail not sent") }));
  const requests = createAccessRequestService({ store, access, codes, auditLog, clock, ...(notifier === undefined ? {} : { notifier }) });
  app.decorate("notificationsSettled", () => requests.notificationsSettled());
  const policies = createEntryPolicyService({ store, access, auditLog, clock });
  const alertDeliverer = await startAlertDeliverer({
    store,
    outbox,
    holder: delivererHolderName(),
    access,
    keyring,
    mailer,
    clock,
    targets: alertTargets,
    timing: { leaseMs: outboxTiming.leaseSeconds * 1000, pollMs: outboxTiming.pollMs, ...deps.alertDelivery },
    note: (note) => (note.outcome === "retry" ? app.log.info(note, "alert not delivered yet") : app.log.warn(note, "alert not delivered")),
  });
  app.addHook("onClose", () => alertDeliverer.stop());
  const notifications = createNotificationService({ store, requests, clock });

  registerAuthentication(app, sessions, createApiTokenAuthenticator({ apiTokens: store.apiTokens, clock, auditLog }), clock);
  registerEnrolmentGate(app);
  registerHealthRoutes(app, store);
  // With a listener of its own, /metrics stays off the main one (run.ts starts that listener).
  if (metrics !== undefined && config.metrics?.listen === undefined && config.metrics?.token !== undefined) registerMetricsRoute(app, metrics, config.metrics.token);
  registerAuthRoutes(app, { accounts, sessions, devices, clock, challenges, reauthentication });
  registerPushApprovalRoutes(app, { push, ...(deps.allowHttpPushEndpoints === true ? { allowHttpEndpoints: true } : {}) });
  registerPasskeyRoutes(app, { passkeys: createPasskeyService({ ...passkeyDeps, reauthentication, notices: securityNotices }), passkeySignIn, sessions, devices, clock });
  registerSetupRoutes(app, { setup, sessions, devices, clock });
  const sso = config.oidc === undefined ? undefined : createSsoService({ config: config.oidc, relyingParty: createRelyingParty(config.oidc), store, auditLog, clock });
  registerSsoRoutes(app, { sso, sessions, devices, clock });
  registerEntryRoutes(app, { entries, reauthentication });
  registerCodeRoutes(app, { codes, recovery, entries, clock, reauthentication });
  registerStepUpRoutes(app, { stepUps });
  registerMfaEnforcementRoutes(app, { enforcement });
  registerCatalogRoutes(app, { catalog });
  registerImportRoutes(app, { imports });
  // People: links point at the public address when one is configured (the mailer is above).
  const people = createPeopleService({ store, access, auditLog, clock, delivery: { mailer, publicUrl: config.publicUrl } });
  registerUserRoutes(app, { accountLocks: createAccountLockService({ auditLog, clock }), people, reauthentication });
  registerAccountRoutes(app, { account: createOwnAccountService({ store, auditLog, clock, notices: securityNotices }), clock, reauthentication });
  // Sign-in security (issue 10): the second-factor challenge uses signInRecoveryCodes.use (and second-factor-throttle.ts).
  registerAccountSecurityRoutes(app, { recoveryCodes: signInRecoveryCodes, sessions: createOwnSessionService({ store, auditLog, clock }), reauthentication });
  registerOwnFactorRoutes(app, { factors: createOwnFactorService({ store, keyring, auditLog, clock, reauthentication, notices: securityNotices, secondFactors }), clock });
  // Account recovery (issue 10): codes by e-mail (the mailer above) or SMS (WATCHWORD_SMS_*).
  const recoveryAttempts = createRecoveryCodeAttempts({
    store: store.recoveryMethods,
    keyring,
    channels: { mailer, texts: config.sms === undefined ? undefined : createSmsGateway(config.sms) },
    clock,
    warn: (failure) => app.log.warn(failure, "recovery message not sent"),
  });
  const accountRecovery = createAccountRecoveryService({ store, keyring, attempts: recoveryAttempts, auditLog, clock, waitHours: config.recoveryWaitHours ?? 72, publicUrl: config.publicUrl, throttle: secondFactorThrottle });
  app.decorate("recoveryNoticesSettled", () => accountRecovery.noticesSettled());
  registerRecoveryMethodRoutes(app, { methods: createRecoveryMethodService({ store, keyring, attempts: recoveryAttempts, auditLog, clock, reauthentication }), recoveries: accountRecovery, sessions, devices, clock });
  registerUserLinkRoutes(app, { links: createUserLinkService({ store, auditLog, clock }), sessions, devices, clock, challenges, secondFactors });
  registerGroupRoutes(app, { groups: createGroupService({ store, access, auditLog, clock }) });
  registerGrantRoutes(app, { grants: createGrantService({ store, access, auditLog, clock }), clock });
  registerAuditRoutes(app, { access, store, auditLog, auditKey: keyring.auditKey, checkpointFile });
  registerAuditDestinationRoutes(app, { destinations: createSiemDestinationService({ store, access, destinations: siemDestinations, clock }) });
  registerAccessRequestRoutes(app, { requests, policies, notifications });
  registerServiceAccountRoutes(app, { serviceAccounts: createServiceAccountService({ store, access, auditLog, clock }), reauthentication });
  registerAlertRoutes(app, { alerts: createAlertService({ store, access, keyring, auditLog, clock, targets: alertTargets }) });
  await registerWebApp(app, config.webDir);
  return app;
}
