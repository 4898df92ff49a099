// Shows its page only to a signed-in person; anyone else goes to sign-in and comes back after.
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { AuthLayout } from "../ui/auth-layout.js";
import { Button } from "../ui/button.js";
import { CloudOffIcon } from "../ui/icons.js";
import { LoadingView } from "../ui/loading-view.js";
import { describeProblem, describeProblemTitle } from "../ui/problem-text.js";
import { navigate, useLocation } from "../ui/router.js";
import { StatusPanel } from "../ui/status-panel.js";
import { signInPathFor } from "./next-path.js";
import { useSession } from "./session.js";

const ENROLMENT_PATH = "/account/security";

export function RequireSession({ children }: { children: (session: SessionInfo) => ReactNode }) {
  const { t } = useTranslation();
  const { state, loadSession } = useSession();
  const { href, pathname } = useLocation();
  // A session that may only enrol a second factor (an administrator's rule) is led to enrolment first.
  const mustEnrol = state.status === "signed-in" && state.session.secondFactorEnrolment !== undefined;

  useEffect(() => {
    if (state.status === "unknown") loadSession();
    if (state.status === "signed-out") navigate(signInPathFor(href), { replace: true });
    if (mustEnrol && pathname !== ENROLMENT_PATH) navigate(ENROLMENT_PATH, { replace: true });
  }, [state.status, loadSession, href, mustEnrol, pathname]);

  switch (state.status) {
    case "signed-in":
      return mustEnrol && pathname !== ENROLMENT_PATH ? <LoadingView label={t("shell.loading")} /> : children(state.session);
    case "failed":
      return (
        <AuthLayout>
          <StatusPanel
            tone="error"
            icon={<CloudOffIcon width={28} height={28} />}
            title={describeProblemTitle(state.error, t)}
            actions={
              <Button variant="primary" onClick={loadSession}>
                {t("shell.retry")}
              </Button>
            }
          >
            <p>{describeProblem(state.error, t)}</p>
          </StatusPanel>
        </AuthLayout>
      );
    default:
      return <LoadingView label={t("shell.loading")} />;
  }
}
