// /admin/two-step — administrators choose who must use two-step verification (nobody, everyone,
// or members of some groups) and which methods count. Administrators are always in a rule that is
// on, and must have a second factor once others use the vault whatever the rule (shown, not a toggle); the server's warnings (an administrator without a second factor) are shown as it words them.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { SessionInfo } from "../../../../src/contract/auth.js";
import type { MfaEnforcementReply } from "../../../../src/contract/mfa-enforcement.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { CheckboxField } from "../../ui/checkbox-field.js";
import { useDocumentTitle } from "../../ui/document-title.js";
import { FormAlert } from "../../ui/form-alert.js";
import { LoadingView } from "../../ui/loading-view.js";
import { Notice } from "../../ui/notice.js";
import { PageHeading } from "../../ui/page-heading.js";
import { Panel } from "../../ui/panel.js";
import { describeProblem } from "../../ui/problem-text.js";
import { AdminNav } from "../admin-nav.js";
import { PeopleAdminsOnly } from "../users/admins-only.js";
import { useGroupList } from "../users/people-queries.js";

const METHODS = ["totp", "passkey", "push"] as const;
const SCOPES = ["off", "everyone", "groups"] as const;
const KEY = ["admin", "mfa-enforcement"] as const;

export function MfaEnforcementPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  useDocumentTitle(t("admin.mfaEnforcement.documentTitle"));
  if (session.user.role !== "admin") return <PeopleAdminsOnly testId="mfa-enforcement-admins-only" />;
  return <MfaEnforcementAdmin />;
}

function MfaEnforcementAdmin() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: KEY, queryFn: () => client.getMfaEnforcement() });
  return (
    <div className="page" data-testid="mfa-enforcement-page">
      <AdminNav />
      <PageHeading>{t("admin.mfaEnforcement.title")}</PageHeading>
      <p className="page__lede">{t("admin.mfaEnforcement.lede")}</p>
      {query.data === undefined ? (
        query.error === null ? <LoadingView label={t("shell.loading")} /> : <FormAlert message={describeProblem(query.error, t)} />
      ) : (
        <RuleForm rule={query.data} />
      )}
    </div>
  );
}

function RuleForm({ rule }: { rule: MfaEnforcementReply }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const groups = useGroupList().data ?? [];
  const [scope, setScope] = useState(rule.scope);
  const [methods, setMethods] = useState<readonly string[]>(rule.methods.length === 0 ? ["totp"] : rule.methods);
  const [groupIds, setGroupIds] = useState<readonly string[]>(rule.groupIds);
  const [error, setError] = useState<string>();
  const [isSaved, setSaved] = useState(false);
  const [isBusy, setBusy] = useState(false);
  useEffect(() => setSaved(false), [scope, methods, groupIds]);
  const toggle = (list: readonly string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const saved = await client.setMfaEnforcement({ scope, methods: scope === "off" ? [] : (methods as ("totp" | "passkey" | "push")[]), ...(scope === "groups" ? { groupIds: [...groupIds] } : {}) });
      queryClient.setQueryData(KEY, saved);
      setSaved(true);
    } catch (failure) {
      setError(describeProblem(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {rule.warnings.map((warning) => (
        <Notice key={warning.key} tone="warning" title={t(`problems.${warning.key}`, warning.params as Record<string, unknown>)} testId="mfa-enforcement-warning" />
      ))}
      {/* Not a setting of this page: the server asks it of every administrator without a second factor once others use the vault. */}
      <Panel
        title={t("admin.mfaEnforcement.adminRuleTitle")}
        actions={<span className="badge">{t("admin.mfaEnforcement.adminRuleAlwaysOn")}</span>}
        testId="mfa-enforcement-admin-rule"
        className="mfa-enforcement__admin-rule"
      >
        <p>{t("admin.mfaEnforcement.adminRuleBody")}</p>
      </Panel>
      <Panel title={t("admin.mfaEnforcement.panelTitle")} testId="mfa-enforcement-panel">
        <form className="form" noValidate onSubmit={(event) => void submit(event)} data-testid="mfa-enforcement-form">
          <fieldset className="segmented">
            <legend className="field__label">{t("admin.mfaEnforcement.scopeLegend")}</legend>
            <div className="segmented__options">
              {SCOPES.map((value) => (
                <label key={value} className={`segmented__option${scope === value ? " segmented__option--selected" : ""}`}>
                  <input type="radio" name="scope" value={value} checked={scope === value} onChange={() => setScope(value)} data-testid={`mfa-scope-${value}`} />
                  <span>{t(`admin.mfaEnforcement.scope.${value}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          {scope === "groups" ? (
            <fieldset className="form__group" data-testid="mfa-groups">
              <legend className="field__label">{t("admin.mfaEnforcement.groupsLegend")}</legend>
              {groups.length === 0 ? <p>{t("admin.mfaEnforcement.noGroups")}</p> : null}
              {groups.map((group) => (
                <CheckboxField key={group.id} label={group.name} checked={groupIds.includes(group.id)} onChange={() => setGroupIds(toggle(groupIds, group.id))} />
              ))}
            </fieldset>
          ) : null}
          {scope === "off" ? null : (
            <fieldset className="form__group">
              <legend className="field__label">{t("admin.mfaEnforcement.methodsLegend")}</legend>
              {METHODS.map((method) => (
                <CheckboxField key={method} label={t(`admin.mfaEnforcement.method.${method}`)} checked={methods.includes(method)} onChange={() => setMethods(toggle(methods, method))} data-testid={`mfa-method-${method}`} />
              ))}
              <p className="field__hint">{t("admin.mfaEnforcement.methodsHint")}</p>
            </fieldset>
          )}
          <FormAlert message={error} testId="mfa-enforcement-error" />
          {isSaved ? <FormAlert tone="info" message={t("admin.mfaEnforcement.saved")} testId="mfa-enforcement-saved" /> : null}
          <div className="form__actions">
            <Button type="submit" variant="primary" isBusy={isBusy} data-testid="mfa-enforcement-save">
              {t("admin.mfaEnforcement.save")}
            </Button>
          </div>
        </form>
      </Panel>
    </>
  );
}
