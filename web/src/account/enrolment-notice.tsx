// Shown on Sign-in & security while this user must enrol a second factor they do not have yet (an
// administrator's rule, or an administrator once others use the vault: SessionInfo.secondFactorEnrolment): the rest of the app is closed until then
// (RequireSession leads here), and "Continue" asks the server again once they have enrolled.
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { Button } from "../ui/button.js";
import { Notice } from "../ui/notice.js";
import { useSession } from "./session.js";

export function EnrolmentNotice({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const { loadSession } = useSession();
  const demand = session.secondFactorEnrolment;
  if (demand === undefined) return null;
  const methods = demand.methods.map((method) => t(`admin.mfaEnforcement.method.${method}`)).join(", ");
  return (
    <Notice tone="warning" title={t("account.enrolment.title")} testId="enrolment-required">
      {/* An administrator without a second factor once others use the vault, or the administrators' rule. */}
      <p data-testid="enrolment-reason">{t(demand.reason === "administrator" ? "account.enrolment.bodyAdministrator" : "account.enrolment.body")}</p>
      <p>{t("account.enrolment.methods", { methods })}</p>
      <Button variant="secondary" onClick={loadSession} data-testid="enrolment-continue">
        {t("account.enrolment.continue")}
      </Button>
    </Notice>
  );
}
