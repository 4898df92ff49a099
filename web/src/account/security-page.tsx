// /account/security, "Sign-in & security": the password; two-step verification (the "Configure"
// wizard, authenticator apps, sign-in recovery codes, passkeys and security keys); the sessions.
// The page is two lists of sections: adding a panel is one line in SECTIONS or TWO_STEP_METHODS.
import type { ComponentType } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../src/contract/auth.js";
import { useDocumentTitle } from "../ui/document-title.js";
import { ArrowLeftIcon } from "../ui/icons.js";
import { PageHeading } from "../ui/page-heading.js";
import { Panel } from "../ui/panel.js";
import { Link } from "../ui/router.js";
import { ChangePasswordForm } from "./change-password-form.js";
import { EnrolmentNotice } from "./enrolment-notice.js";
import { PasskeysPanel } from "./passkeys-panel.js";
import { PushDevicesPanel } from "./push-devices-panel.js";
import { RecoveryMethodPanel } from "./recovery-method-panel.js";
import { RecoveryCodesPanel } from "./recovery-codes-panel.js";
import { SessionsPanel } from "./sessions-panel.js";
import { TwoStepPanel } from "./two-step-panel.js";
import "../ui/sign-in-security.css";

/** What every section is given. */
export interface SecuritySectionProps {
  readonly session: SessionInfo;
}

interface SecuritySection {
  readonly id: string;
  readonly Section: ComponentType<SecuritySectionProps>;
}

function PasswordSection({ session }: SecuritySectionProps) {
  const { t } = useTranslation();
  // A session that may only enrol a second factor may not change the password (enrolment-gate.ts).
  if (session.secondFactorEnrolment !== undefined) return null;
  return (
    <Panel title={t("account.password.title")} testId="account-password">
      <ChangePasswordForm username={session.user.username} />
    </Panel>
  );
}

/** Sub-sections of "Two-step verification" (a `<Panel headingLevel={3}>` each) render inside it. */
function RecoveryCodesSection({ session }: SecuritySectionProps) {
  return <RecoveryCodesPanel username={session.user.username} headingLevel={3} />;
}

function PasskeysSection({ session }: SecuritySectionProps) {
  const { t } = useTranslation();
  return (
    <Panel title={t("account.passkeys.title")} testId="account-passkeys" headingLevel={3}>
      <PasskeysPanel username={session.user.username} />
    </Panel>
  );
}

function PushDevicesSection() {
  return <PushDevicesPanel headingLevel={3} />;
}

/** Inside "Two-step verification", after the authenticator apps, in this order: one line each. */
const TWO_STEP_METHODS: readonly SecuritySection[] = [
  { id: "recovery-codes", Section: RecoveryCodesSection },
  { id: "passkeys", Section: PasskeysSection },
  { id: "push-devices", Section: PushDevicesSection },
];

function TwoStepSection({ session }: SecuritySectionProps) {
  return (
    <TwoStepPanel>
      {TWO_STEP_METHODS.map(({ id, Section }) => (
        <Section key={id} session={session} />
      ))}
    </TwoStepPanel>
  );
}

/** The page, top to bottom: one line each. */
const SECTIONS: readonly SecuritySection[] = [
  { id: "password", Section: PasswordSection },
  { id: "recovery-method", Section: RecoveryMethodPanel },
  { id: "two-step", Section: TwoStepSection },
  { id: "sessions", Section: SessionsPanel },
];

export function SecurityPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("account.security.documentTitle"));
  return (
    <div className="page account-page security-page" data-testid="security-page">
      <Link to="/account" className="back-link" data-testid="back-to-account">
        <ArrowLeftIcon className="back-link__icon" />
        {t("account.security.back")}
      </Link>
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{t("account.security.title")}</PageHeading>
          <p className="page__count">{t("account.signedInAs", { username: session.user.username })}</p>
        </div>
      </div>
      <EnrolmentNotice session={session} />
      <div className="account-page__panels" data-testid="security-sections">
        {SECTIONS.map(({ id, Section }) => (
          <Section key={id} session={session} />
        ))}
      </div>
    </div>
  );
}
