// The target account's recovery codes: how many are left; "Reveal next code" (with a reason)
// shows one code once and marks it used; managers may reveal all of them or replace the list. An
// entry that asks for a step-up before each code asks for it before a reveal too.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { AllRecoveryCodesReply } from "../../../../src/contract/codes.js";
import type { EntryDetail } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FormAlert } from "../../ui/form-alert.js";
import { EyeIcon, LifebuoyIcon } from "../../ui/icons.js";
import { Panel } from "../../ui/panel.js";
import { describeProblem } from "../../ui/problem-text.js";
import { TextAreaField } from "../../ui/text-area-field.js";
import { useCopy } from "../copy-code.js";
import { parseRecoveryCodes } from "./parse-recovery-codes.js";
import { ReasonForm } from "./reason-form.js";
import { RevealedValue } from "./revealed-value.js";
import { InlineFormActions } from "./inline-form-actions.js";
import { useSudo } from "../../account/sudo.js";
import { useStepUp } from "../step-up-dialog.js";

type Mode = { kind: "idle" } | { kind: "ask-next" } | { kind: "ask-all" } | { kind: "replace" } | { kind: "next"; code: string } | { kind: "all"; codes: AllRecoveryCodesReply["codes"] };

interface RecoveryCodesPanelProps {
  readonly entry: EntryDetail;
  readonly onEntryChange: (entry: EntryDetail) => void;
}

export function RecoveryCodesPanel({ entry, onEntryChange }: RecoveryCodesPanelProps) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  const { withStepUp, dialog: stepUpDialog } = useStepUp(entry);
  const [mode, setMode] = useState<Mode>({ kind: "idle" });
  const { remaining, total } = entry.recoveryCodes;
  const isLow = total > 0 && remaining <= 2;
  const idle = (): void => setMode({ kind: "idle" });

  const revealNext = async (reason: string): Promise<void> => {
    const reply = await withStepUp(() => client.revealNextRecoveryCode(entry.id, reason));
    onEntryChange({ ...entry, recoveryCodes: { total, remaining: reply.remaining } });
    setMode({ kind: "next", code: reply.code });
  };
  const revealAll = async (reason: string): Promise<void> => {
    // Sudo mode first (the server asks for it before the step-up), then the step-up.
    const reply = await withStepUp(() => withSudo(() => client.revealAllRecoveryCodes(entry.id, reason)));
    setMode({ kind: "all", codes: reply.codes });
  };

  const actions =
    mode.kind !== "idle" ? undefined : (
      <>
        {remaining > 0 ? (
          <Button variant="secondary" icon={<EyeIcon className="button__icon" />} data-testid="reveal-next-recovery" onClick={() => setMode({ kind: "ask-next" })}>
            {t("entries.detail.recovery.revealNext")}
          </Button>
        ) : null}
        {entry.canManage && total > 0 ? (
          <Button variant="quiet" onClick={() => setMode({ kind: "ask-all" })}>
            {t("entries.detail.recovery.revealAll")}
          </Button>
        ) : null}
        {entry.canManage ? (
          <Button variant="quiet" data-testid="replace-recovery" onClick={() => setMode({ kind: "replace" })}>
            {total === 0 ? t("entries.detail.recovery.add") : t("entries.detail.recovery.replace")}
          </Button>
        ) : null}
      </>
    );

  return (
    <Panel title={t("entries.detail.recovery.title")} testId="recovery-panel">
      <div className="recovery-stock">
        <LifebuoyIcon className="recovery-stock__icon" />
        {total === 0 ? (
          <p className="recovery-stock__text">{t("entries.detail.recovery.none")}</p>
        ) : (
          <div className="recovery-stock__text">
            <p className={isLow ? "recovery-stock__count recovery-stock__count--low" : "recovery-stock__count"} data-testid="recovery-remaining">
              {t("entries.detail.recovery.left", { count: remaining, total })}
            </p>
            <meter className="recovery-stock__meter" min={0} max={total} low={Math.min(2.5, total)} optimum={total} value={remaining} aria-hidden="true" />
            {isLow ? <p className="field__hint">{t("entries.detail.recovery.lowHint")}</p> : null}
          </div>
        )}
      </div>
      {actions === undefined ? null : <div className="panel__toolbar">{actions}</div>}
      {mode.kind === "ask-next" ? <ReasonForm submitLabel={t("entries.detail.recovery.revealNext")} onSubmit={revealNext} onCancel={idle} testId="recovery-reason" /> : null}
      {mode.kind === "ask-all" ? <ReasonForm submitLabel={t("entries.detail.recovery.revealAll")} onSubmit={revealAll} onCancel={idle} /> : null}
      {mode.kind === "next" ? (
        <RevealedValue
          value={mode.code}
          what={t("entries.detail.recovery.oneCode")}
          note={t("entries.detail.recovery.markedUsed", { count: remaining })}
          onHide={idle}
        />
      ) : null}
      {mode.kind === "all" ? <AllCodes codes={mode.codes} onHide={idle} /> : null}
      {mode.kind === "replace" ? <ReplaceCodesForm entry={entry} onReplaced={(next) => {
            onEntryChange(next);
            idle();
          }} onCancel={idle} /> : null}
      {stepUpDialog}
    </Panel>
  );
}

function AllCodes({ codes, onHide }: { codes: AllRecoveryCodesReply["codes"]; onHide: () => void }) {
  const { t } = useTranslation();
  const { state, copy } = useCopy();
  const unused = codes.filter((code) => !code.used).map((code) => code.code);
  return (
    <div className="revealed">
      <ol className="recovery-codes" data-testid="all-recovery-codes">
        {codes.map((code, index) => (
          <li key={index} className={code.used ? "recovery-codes__code recovery-codes__code--used" : "recovery-codes__code"}>
            <code>{code.code}</code>
            {code.used ? <span className="visually-hidden"> ({t("entries.detail.recovery.used")})</span> : null}
          </li>
        ))}
      </ol>
      <div className="revealed__row revealed__row--end">
        <Button variant="secondary" disabled={unused.length === 0} onClick={() => void copy(unused.join("\n"), t("entries.detail.recovery.unusedCodes"))}>
          {state === "copied" ? t("entries.code.copied") : t("entries.detail.recovery.copyUnused")}
        </Button>
        <Button variant="quiet" onClick={onHide}>
          {t("entries.detail.hide")}
        </Button>
      </div>
      <p className="revealed__note">{t("entries.detail.recovery.usedStruck")}</p>
    </div>
  );
}

function ReplaceCodesForm({ entry, onReplaced, onCancel }: { entry: EntryDetail; onReplaced: (entry: EntryDetail) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const codes = parseRecoveryCodes(text);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (codes.length === 0) return setError(t("entries.detail.recovery.replaceEmpty"));
    if (codes.length > 100) return setError(t("entries.detail.recovery.replaceTooMany"));
    setBusy(true);
    setFormError(undefined);
    try {
      const reply = await client.replaceRecoveryCodes(entry.id, codes);
      onReplaced(reply.entry);
    } catch (reason) {
      setBusy(false);
      setFormError(describeProblem(reason, t));
    }
  };

  return (
    <form className="inline-form" noValidate onSubmit={(event) => void submit(event)} data-testid="replace-recovery-form">
      <FormAlert message={formError} />
      <TextAreaField
        label={t("entries.detail.recovery.replaceLabel")}
        className="field--mono"
        rows={6}
        autoFocus
        spellCheck={false}
        autoComplete="off"
        value={text}
        error={error}
        hint={entry.recoveryCodes.total === 0 ? t("entries.detail.recovery.addHint", { count: codes.length }) : t("entries.detail.recovery.replaceHint", { count: codes.length })}
        onChange={(event) => {
          setText(event.target.value);
          setError(undefined);
        }}
      />
      <InlineFormActions submitLabel={entry.recoveryCodes.total === 0 ? t("entries.detail.recovery.saveNew") : t("entries.detail.recovery.replaceSubmit")} isBusy={isBusy} onCancel={onCancel} />
    </form>
  );
}
