// Where the person is signed in: each session's device in plain words ("Chrome on Linux"), its
// address, when it began and when it was last used, "This session" for this one; signing out
// one session, or every other one.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { OwnSession } from "../../../src/contract/sign-in-security.js";
import { formatAge, formatMoment } from "../entries/detail/time-text.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { SignOutIcon } from "../ui/icons.js";
import { Panel } from "../ui/panel.js";
import { describeProblem } from "../ui/problem-text.js";
import "../ui/sign-in-security.css";

export const SESSIONS_KEY = ["account", "sessions"] as const;

function useDeviceName(): (session: OwnSession) => string {
  const { t } = useTranslation();
  return (session) => {
    const browser = session.browser ?? (session.kind === "token" ? t("account.sessions.cli") : t("account.sessions.unknownBrowser"));
    return session.system === null ? browser : t("account.sessions.device", { browser, system: session.system });
  };
}

function SessionRow({ session, onSignOut, isBusy }: { session: OwnSession; onSignOut: () => void; isBusy: boolean }) {
  const { t, i18n } = useTranslation();
  const device = useDeviceName()(session);
  return (
    <li className="sessions__row" data-testid="session-row" data-current={session.isCurrent}>
      <div className="sessions__facts">
        <p className="sessions__device">
          <span>{device}</span>
          {session.isCurrent ? <span className="badge sessions__current">{t("account.sessions.current")}</span> : null}
        </p>
        <p className="sessions__detail">
          <span>{t("account.sessions.address", { ip: session.ip })}</span>
          <span>{t("account.sessions.signedIn", { date: formatMoment(session.createdAt, i18n.language) })}</span>
          <span>{t("account.sessions.lastUsed", { age: formatAge(session.lastSeenAt, Date.now(), i18n.language) })}</span>
        </p>
      </div>
      {session.isCurrent ? null : (
        <Button variant="secondary" isBusy={isBusy} aria-label={t("account.sessions.signOutSession", { device })} data-testid="session-sign-out" onClick={onSignOut}>
          {t("account.sessions.signOut")}
        </Button>
      )}
    </li>
  );
}

export function SessionsPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: SESSIONS_KEY, queryFn: () => client.listOwnSessions() });
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<{ tone: "info" | "error"; text: string }>();

  const act = async (key: string, work: () => Promise<string>): Promise<void> => {
    setBusy(key);
    setMessage(undefined);
    try {
      setMessage({ tone: "info", text: await work() });
    } catch (error) {
      setMessage({ tone: "error", text: describeProblem(error, t) });
    } finally {
      setBusy(undefined);
      await queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    }
  };
  const signOutOne = (id: string) =>
    act(id, async () => {
      await client.endOwnSession(id);
      return t("account.sessions.signedOutOne");
    });
  const signOutOthers = () =>
    act("others", async () => {
      const { ended } = await client.endOtherSessions();
      return t("account.sessions.signedOutOthers", { count: ended });
    });

  const list = sessions.data?.sessions ?? [];
  const hasOthers = list.some((s) => !s.isCurrent);
  return (
    <Panel
      title={t("account.sessions.title")}
      testId="account-sessions"
      className="sessions"
      actions={
        hasOthers ? (
          <Button variant="secondary" icon={<SignOutIcon className="button__icon" />} isBusy={busy === "others"} data-testid="sessions-sign-out-others" onClick={() => void signOutOthers()}>
            {t("account.sessions.signOutOthers")}
          </Button>
        ) : undefined
      }
    >
      <p className="sessions__intro">{t("account.sessions.intro")}</p>
      <FormAlert message={message?.text} tone={message?.tone} testId="sessions-message" />
      {sessions.isError ? <FormAlert message={t("account.sessions.loadFailed")} /> : null}
      <ul className="sessions__list" data-testid="sessions-list">
        {list.map((session) => (
          <SessionRow key={session.id} session={session} isBusy={busy === session.id} onSignOut={() => void signOutOne(session.id)} />
        ))}
      </ul>
      {sessions.data !== undefined && !hasOthers ? <p className="sessions__only">{t("account.sessions.onlyThis")}</p> : null}
    </Panel>
  );
}
