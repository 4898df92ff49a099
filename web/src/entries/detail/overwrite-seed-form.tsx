// Overwriting the seed when the target service issued a new one: a setup key, a link or a QR
// image (the server keeps the code it found and uses it, so the seed never reaches the browser),
// and an explicit acknowledgement that the current seed is destroyed (no undo, no copy).
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { EntryDetail, EntryReply, EntrySeedInput } from "../../../../src/contract/entries.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { CheckboxField } from "../../ui/checkbox-field.js";
import { FormAlert } from "../../ui/form-alert.js";
import { TextAreaField } from "../../ui/text-area-field.js";
import { TextField } from "../../ui/text-field.js";
import { useImageImport } from "../add/image-import.js";
import { QrImageTab } from "../add/qr-image-tab.js";
import { placeProblem } from "../add/seed-error.js";
import { checkLink, normaliseSecret } from "../add/seed-checks.js";
import { OtpDescription } from "../otp-description.js";
import { InlineFormActions } from "./inline-form-actions.js";
import { useSudo } from "../../account/sudo.js";

type Source = "key" | "link" | "qr";

interface OverwriteSeedFormProps {
  readonly entry: EntryDetail;
  readonly onOverwritten: (reply: EntryReply) => void;
  readonly onCancel: () => void;
}

export function OverwriteSeedForm({ entry, onOverwritten, onCancel }: OverwriteSeedFormProps) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  const [source, setSource] = useState<Source>("key");
  const [secret, setSecret] = useState("");
  const [uri, setUri] = useState("");
  const [isAcknowledged, setAcknowledged] = useState(false);
  const [errors, setErrors] = useState<{ secret?: string; uri?: string; qr?: string; acknowledge?: string }>({});
  const image = useImageImport();
  const found = image.state.phase === "found" ? image.state.preview : undefined;
  const [chosenIndex, setChosenIndex] = useState<number>();
  const chosen = found?.entries.find((candidate) => candidate.index === chosenIndex) ?? (found?.entries.length === 1 ? found.entries[0] : undefined);
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const secretRef = useRef<HTMLInputElement>(null);
  const uriRef = useRef<HTMLTextAreaElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    const problems: typeof errors = {};
    if (source === "key") {
      const key = normaliseSecret(secret);
      if (key === "") problems.secret = t("entries.add.errors.secretRequired");
      else if (!/^[A-Z2-7]+=*$/.test(key)) problems.secret = t("entries.add.errors.secretNotBase32");
    } else if (source === "link") {
      const problem = checkLink(uri);
      if (problem !== undefined) problems.uri = t(`entries.add.errors.${problem}`);
    } else if (chosen === undefined) {
      problems.qr = found === undefined ? t("entries.detail.seed.qrRequired") : t("entries.detail.seed.qrChoose");
    }
    if (!isAcknowledged) problems.acknowledge = t("entries.detail.seed.acknowledgeRequired");
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      setFormError(undefined);
      if (source !== "qr") (source === "key" ? secretRef : uriRef).current?.focus();
      return;
    }
    // The new key keeps the entry's current settings; a link brings its own.
    const seed: EntrySeedInput =
      source === "qr" && found !== undefined && chosen !== undefined
        ? { fromImport: { importId: found.importId, index: chosen.index } }
        : source === "key" && entry.otp !== null
        ? { secret: normaliseSecret(secret), type: entry.otp.type, algorithm: entry.otp.algorithm, digits: entry.otp.digits, ...(entry.otp.type === "hotp" ? { counter: 0 } : { period: entry.otp.period }) }
        : source === "key"
          ? { secret: normaliseSecret(secret) }
          : { uri: uri.trim() };
    setBusy(true);
    setFormError(undefined);
    try {
      const reply = await withSudo(() => client.overwriteSeed(entry.id, seed));
      if (source === "qr") image.markConfirmed();
      onOverwritten(reply);
    } catch (error) {
      setBusy(false);
      const { field, message } = placeProblem(error, ["secret", "uri", "digits", "period", "algorithm", "counter", "type"] as const, t);
      if (field === undefined || source === "qr") return setFormError(message);
      setErrors(source === "key" ? { secret: message } : { uri: message });
    }
  };

  return (
    <form className="inline-form inline-form--danger" noValidate onSubmit={(event) => void submit(event)} data-testid="overwrite-seed-form">
      <FormAlert message={formError} />
      <fieldset className="segmented">
        <legend className="field__label">{t("entries.detail.seed.source")}</legend>
        <div className="segmented__options">
          {(["key", "link", "qr"] as const).map((option) => (
            <label key={option} className={`segmented__option${source === option ? " segmented__option--selected" : ""}`}>
              <input type="radio" name="seed-source" value={option} checked={source === option} onChange={() => setSource(option)} data-testid={`seed-source-${option}`} />
              <span>{t(`entries.add.tabs.${option}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {source === "qr" ? (
        <QrSource image={image} chosenIndex={chosen?.index} onChoose={setChosenIndex} error={chosen === undefined ? errors.qr : undefined} />
      ) : source === "key" ? (
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
      <InlineFormActions submitLabel={t("entries.detail.seed.submit")} isBusy={isBusy} variant="danger" submitTestId="confirm-overwrite" onCancel={onCancel} />
    </form>
  );
}

interface QrSourceProps {
  readonly image: ReturnType<typeof useImageImport>;
  readonly chosenIndex: number | undefined;
  readonly onChoose: (index: number) => void;
  readonly error: string | undefined;
}

/** The QR image picker, then the account(s) found in it; with several, the one the new seed is for. */
function QrSource({ image, chosenIndex, onChoose, error }: QrSourceProps) {
  const { t } = useTranslation();
  if (image.state.phase !== "found") {
    return (
      <>
        <QrImageTab image={image} />
        {error === undefined ? null : (
          <p className="field__error" role="alert">
            {error}
          </p>
        )}
      </>
    );
  }
  const { preview, fileName } = image.state;
  const isSeveral = preview.entries.length > 1;
  return (
    <fieldset className="found-choice" data-testid="overwrite-found">
      <legend className="field__label">{isSeveral ? t("entries.detail.seed.qrChoose") : t("entries.detail.seed.qrFound", { fileName })}</legend>
      {preview.entries.map((candidate) => (
        <label key={candidate.index} className="found-choice__option">
          {isSeveral ? <input type="radio" name="found-account" checked={chosenIndex === candidate.index} onChange={() => onChoose(candidate.index)} /> : null}
          <span className="found-choice__name">{candidate.name}</span>
          <OtpDescription otp={candidate} />
        </label>
      ))}
      {error === undefined ? null : (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <Button variant="quiet" onClick={() => image.reset()}>
        {t("entries.add.qr.another")}
      </Button>
    </fieldset>
  );
}

