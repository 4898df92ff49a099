// The e-mail channel for access requests (services/access-requests.ts's notifier): the requester
// hears of the decision, the approvers of a new request and of an emergency use, each in their
// own language, with a link to the requests page. Who is an approver is core/policy.ts's answer,
// asked through services/access.ts for all users with an address at once; nothing is decided
// here. A mail never carries a seed or a code, and one that fails is a logged warning.
import { composeRequestMail, type RequestMailFacts } from "../core/mail-messages.js";
import type { SessionId } from "../core/ids.js";
import type { Store } from "../store/store.js";
import type { UserRecord } from "../store/users.js";
import type { AccessService } from "./access.js";
import { questionOf, type AccessRequestNotice, type AccessRequestNotifier } from "./access-requests.js";
import type { UserActor } from "./actor.js";
import type { Mailer } from "./mailer.js";

/** What a failed mail is logged with: no address, no body. */
export interface RequestMailFailure {
  readonly requestId: string;
  readonly kind: AccessRequestNotice["kind"];
  readonly recipientId: string;
  readonly reason: string;
}

/** The recipient as policy is asked about them: the decision reads the user, their role and groups, never the session. */
function recipientActor(user: UserRecord, groupIds: UserActor["groupIds"]): UserActor {
  return { kind: "user", userId: user.id, username: user.username, displayName: user.displayName, role: user.role, groupIds, sessionId: "" as SessionId, origin: { ip: "", userAgent: "", channel: "ui" } };
}

/** The SMTP server's or the store's answer, cut short: never the message, which is not in the error. */
const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 160);

const nameOf = (user: UserRecord | undefined, fallback: string): string => (user === undefined ? fallback : user.displayName || user.username);

export function createRequestMailNotifier(deps: {
  store: Pick<Store, "users" | "groups">;
  access: Pick<AccessService, "approversAmong">;
  mailer: Mailer;
  publicUrl: string;
  warn: (failure: RequestMailFailure) => void;
}): AccessRequestNotifier {
  const { store, access, mailer, warn } = deps;
  const link = new URL("/requests", deps.publicUrl).href;

  /**
   * Enabled users with an address whom policy lets decide on (approve, deny or review) the request:
   * three queries however many users (the users, everyone's groups, the target's facts and grants),
   * then policy's answer for each, through access.ts.
   */
  async function approversOf(notice: AccessRequestNotice): Promise<UserRecord[]> {
    const reachable = (await store.users.listUsers()).filter((user) => user.email !== null && user.disabledAt === null);
    if (reachable.length === 0) return [];
    const groupsOf = await store.groups.listGroupIdsOfEveryUser();
    const candidates = reachable.map((user) => ({ user, actor: recipientActor(user, groupsOf.get(user.id) ?? []) }));
    const approvers = new Set((await access.approversAmong(candidates.map((c) => c.actor), questionOf(notice.request))).map((actor) => actor.userId));
    return candidates.flatMap((c) => (approvers.has(c.user.id) ? [c.user] : []));
  }

  async function recipientsOf(notice: AccessRequestNotice, requester: UserRecord | undefined): Promise<UserRecord[]> {
    if (notice.kind === "request_approved" || notice.kind === "request_denied") return requester !== undefined && requester.email !== null && requester.disabledAt === null ? [requester] : [];
    return approversOf(notice);
  }

  async function send(notice: AccessRequestNotice, recipient: UserRecord, facts: Omit<RequestMailFacts, "recipientName">): Promise<void> {
    const mail = composeRequestMail(notice.kind, recipient.language ?? "en", { ...facts, recipientName: nameOf(recipient, recipient.username) });
    try {
      await mailer.send({ to: recipient.email!, ...mail });
    } catch (error) {
      warn({ requestId: notice.request.id, kind: notice.kind, recipientId: recipient.id, reason: reasonOf(error) });
    }
  }

  return {
    async notify(notice) {
      try {
        const requester = await store.users.findUserById(notice.request.requesterId);
        const facts = { requesterName: nameOf(requester, notice.request.requesterId), targetName: notice.targetName, reason: notice.request.reason, link };
        const recipients = await recipientsOf(notice, requester);
        await Promise.all(recipients.map((recipient) => send(notice, recipient, facts)));
      } catch (error) {
        // The decision is committed; a store hiccup finding whom to tell loses only the mail.
        warn({ requestId: notice.request.id, kind: notice.kind, recipientId: "", reason: reasonOf(error) });
      }
    },
  };
}
