// The entry's other secrets (a password, custom secret fields of its template): set or not,
// "Reveal" with a reason shows the value once (after a fresh second factor when the entry or its
// folder asks for one before each code); managers set a new value.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { EntryDetail } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { FormAlert } from "../../ui/form-alert.js";
import { EyeIcon, PencilIcon } from "../../ui/icons.js";
import { Panel } from "../../ui/panel.js";
import { describeProblem } from "../../ui/problem-text.js";
import { TextField } from "../../ui/text-field.js";
import { useStepUp } from "../step-up-dialog.js";
import { entryFieldLabel } from "../templates.js";
import { ReasonForm } from "./reason-form.js";
import { RevealedValue } from "./revealed-value.js";
import { InlineFormActions } from "./inline-form-actions.js";

type Field = EntryDetail["fields"][number];
type Mode = { kind: "idle" } | { kind: "ask" } | { kind: "shown"; value: string } | { kind: "edit" };

interface SecretFieldsPanelProps {
  readonly entry: EntryDetail;
  readonly onEntryChange: (entry: EntryDetail) => void;
}

export function SecretFieldsPanel({ entry, onEntryChange }: SecretFieldsPanelProps) {
  const { t } = useTranslation();
  const secrets = entry.fields.filter((field) => field.type === "secret");
  if (secrets.length === 0) return null;
  return (
    <Panel title={t("entries.detail.secrets.title")} testId="secret-fields-panel">
      <ul className="secret-fields">
        {secrets.map((field) => (
          <SecretField key={field.key} entry={entry} field={field} onEntryChange={onEntryChange} />
        ))}
      </ul>
    </Panel>
  );
}

function SecretField({ entry, field, onEntryChange }: { entry: EntryDetail; field: Field; onEntryChange: (entry: EntryDetail) => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>({ kind: "idle" });
  const idle = (): void => setMode({ kind: "idle" });
  const label = entryFieldLabel(entry, field, t);
  const { withStepUp, dialog: stepUpDialog } = useStepUp(entry, "secret");

  const reveal = async (reason: string): Promise<void> => {
    const reply = await withStepUp(() => client.revealField(entry.id, field.key, reason));
    setMode({ kind: "shown", value: reply.value });
  };

  return (
    <li className="secret-field" data-testid={`secret-field-${field.key}`}>
      <div className="secret-field__row">
        <div className="secret-field__name">
          <span className="secret-field__label">{label}</span>
          <span className={field.isSet ? "secret-field__state" : "secret-field__state secret-field__state--unset"}>
            {field.isSet ? "••••••••••" : t("entries.detail.secrets.notSet")}
          </span>
        </div>
        {mode.kind === "idle" ? (
          <div className="secret-field__actions">
            {field.isSet ? (
              <Button variant="secondary" icon={<EyeIcon className="button__icon" />} onClick={() => setMode({ kind: "ask" })} aria-label={t("entries.detail.secrets.revealNamed", { label: label })}>
                {t("entries.detail.secrets.reveal")}
              </Button>
            ) : null}
            {entry.canManage ? (
              <Button variant="quiet" icon={<PencilIcon className="button__icon" />} onClick={() => setMode({ kind: "edit" })} aria-label={t("entries.detail.secrets.changeNamed", { label: label })}>
                {field.isSet ? t("entries.detail.secrets.change") : t("entries.detail.secrets.set")}
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
      {mode.kind === "ask" ? <ReasonForm submitLabel={t("entries.detail.secrets.reveal")} onSubmit={reveal} onCancel={idle} /> : null}
      {mode.kind === "shown" ? <RevealedValue value={mode.value} what={label} onHide={idle} /> : null}
      {mode.kind === "edit" ? (
        <SetSecretForm
          entry={entry}
          field={field}
          onCancel={idle}
          onSaved={(next) => {
            onEntryChange(next);
            idle();
          }}
        />
      ) : null}
      {stepUpDialog}
    </li>
  );
}

function SetSecretForm({ entry, field, onSaved, onCancel }: { entry: EntryDetail; field: Field; onSaved: (entry: EntryDetail) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (value === "") return setError(t("entries.detail.secrets.valueRequired"));
    setBusy(true);
    try {
      onSaved((await client.updateEntry(entry.id, { fields: { [field.key]: value } })).entry);
    } catch (reason) {
      setBusy(false);
      setFormError(describeProblem(reason, t));
    }
  };

  return (
    <form className="inline-form" noValidate onSubmit={(event) => void submit(event)}>
      <FormAlert message={formError} />
      <TextField
        label={t("entries.detail.secrets.newValue", { label: entryFieldLabel(entry, field, t) })}
        type="password"
        autoComplete="new-password"
        autoFocus
        value={value}
        error={error}
        hint={field.isSet ? t("entries.detail.secrets.replacesHint") : undefined}
        onChange={(event) => {
          setValue(event.target.value);
          setError(undefined);
        }}
      />
      <InlineFormActions submitLabel={t("entries.detail.save")} isBusy={isBusy} onCancel={onCancel} />
    </form>
  );
}
