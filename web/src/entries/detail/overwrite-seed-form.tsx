// Overwriting the seed when the target service issued a new one: a setup key or a link, and an
// explicit acknowledgement that the current seed is destroyed (there is no undo and no copy).
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { EntryDetail, EntryReply, EntrySeedInput } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { CheckboxField } from "../../ui/checkbox-field.js";
import { FormAlert } from "../../ui/form-alert.js";
import { TextAreaField } from "../../ui/text-area-field.js";
import { TextField } from "../../ui/text-field.js";
import { placeProblem } from "../add/seed-error.js";
import { checkLink, normaliseSecret } from "../add/seed-checks.js";

type Source = "key" | "link";

interface OverwriteSeedFormProps {
  readonly entry: EntryDetail;
  readonly onOverwritten: (reply: EntryReply) => void;
  readonly onCancel: () => void;
}

export function OverwriteSeedForm({ entry, onOverwritten, onCancel }: OverwriteSeedFormProps) {
  const { t } = useTranslation();
  const [source, setSource] = useState<Source>("key");
  const [secret, setSecret] = useState("");
  const [uri, setUri] = useState("");
  const [isAcknowledged, setAcknowledged] = useState(false);
  const [errors, setErrors] = useState<{ secret?: string; uri?: string; acknowledge?: string }>({});
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const secretRef = useRef<HTMLInputElement>(null);
  const uriRef = useRef<HTMLTextAreaElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    const found: typeof errors = {};
    if (source === "key") {
      const key = normaliseSecret(secret);
      if (key === "") found.secret = t("entries.add.errors.secretRequired");
      else if (!/^[A-Z2-7]+=*$/.test(key)) found.secret = t("entries.add.errors.secretNotBase32");
    } else {
      const problem = checkLink(uri);
      if (problem !== undefined) found.uri = t(`entries.add.errors.${problem}`);
    }
    if (!isAcknowledged) found.acknowledge = t("entries.detail.seed.acknowledgeRequired");
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError(undefined);
      (source === "key" ? secretRef : uriRef).current?.focus();
      return;
    }
    // The new key keeps the entry's current settings; a link brings its own.
    const seed: EntrySeedInput =
      source === "key" && entry.otp !== null
        ? { secret: normaliseSecret(secret), type: entry.otp.type, algorithm: entry.otp.algorithm, digits: entry.otp.digits, ...(entry.otp.type === "hotp" ? { counter: 0 } : { period: entry.otp.period }) }
        : source === "key"
          ? { secret: normaliseSecret(secret) }
          : { uri: uri.trim() };
    setBusy(true);
    setFormError(undefined);
    try {
      onOverwritten(await client.overwriteSeed(entry.id, seed));
    } catch (error) {
      setBusy(false);
      const { field, message } = placeProblem(error, ["secret", "uri", "digits", "period", "algorithm", "counter", "type"] as const, t);
      if (field === undefined) return setFormError(message);
      setErrors(source === "key" ? { secret: message } : { uri: message });
    }
  };

  return (
    <form className="inline-form inline-form--danger" noValidate onSubmit={(event) => void submit(event)} data-testid="overwrite-seed-form">
      <FormAlert message={formError} />
      <fieldset className="segmented">
        <legend className="field__label">{t("entries.detail.seed.source")}</legend>
        <div className="segmented__options">
          {(["key", "link"] as const).map((option) => (
            <label key={option} className={`segmented__option${source === option ? " segmented__option--selected" : ""}`}>
              <input type="radio" name="seed-source" value={option} checked={source === option} onChange={() => setSource(option)} />
              <span>{option === "key" ? t("entries.add.tabs.key") : t("entries.add.tabs.link")}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {source === "key" ? (
        <TextField
          ref={secretRef}
          label={t("entries.detail.seed.newKey")}
          className="field--mono"
          value={secret}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          error={errors.secret}
          hint={t("entries.detail.seed.keepsSettings")}
          data-testid="new-setup-key"
          onChange={(event) => {
            setSecret(event.target.value);
            setErrors((current) => ({ ...current, secret: undefined }));
          }}
        />
      ) : (
        <TextAreaField
          ref={uriRef}
          label={t("entries.detail.seed.newLink")}
          className="field--mono"
          rows={3}
          value={uri}
          autoComplete="off"
          spellCheck={false}
          error={errors.uri}
          onChange={(event) => {
            setUri(event.target.value);
            setErrors((current) => ({ ...current, uri: undefined }));
          }}
        />
      )}
      <CheckboxField
        label={t("entries.detail.seed.acknowledge")}
        checked={isAcknowledged}
        error={errors.acknowledge}
        data-testid="acknowledge-overwrite"
        onChange={(event) => {
          setAcknowledged(event.target.checked);
          setErrors((current) => ({ ...current, acknowledge: undefined }));
        }}
      />
      <div className="inline-form__actions">
        <Button type="submit" variant="danger" isBusy={isBusy} data-testid="confirm-overwrite">
          {t("entries.detail.seed.submit")}
        </Button>
        <Button variant="quiet" onClick={onCancel}>
          {t("shell.cancel")}
        </Button>
      </div>
    </form>
  );
}
