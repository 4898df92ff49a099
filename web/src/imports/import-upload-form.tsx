// The first step of an import: the export file, its format (or "detect") and, for encrypted
// exports, its password (and a KeePass database's key file). Nothing is created yet: the server
// answers with a preview.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ImportFormatName, ImportPreview } from "../../../src/contract/imports.js";
import { ApiError, client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FileDropZone } from "../ui/file-drop-zone.js";
import { FormAlert } from "../ui/form-alert.js";
import { FileIcon, InfoIcon, UploadIcon } from "../ui/icons.js";
import { describeProblem, fieldOf } from "../ui/problem-text.js";
import { MAX_UPLOAD_BYTES, readFileAsBase64 } from "../ui/read-file.js";
import { SelectField } from "../ui/select-field.js";
import { TextField } from "../ui/text-field.js";
import { ImportProblemList } from "./import-problem-list.js";

export const FORMATS = [
  "auto", "aegis", "2fas", "bitwarden", "andotp", "gauth", "gauth-db", "keepass", "freeotp-plus", "steam",
  "authy", "freeotp", "microsoft-db", "duo", "proton", "battlenet",
  "stratum", "totp-authenticator", "authenticator-plus",
  "uris", "image",
] as const satisfies readonly ImportFormatName[];
type Format = (typeof FORMATS)[number];

export const FORMAT_LABELS = {
  auto: "imports.formats.auto",
  aegis: "imports.formats.aegis",
  "2fas": "imports.formats.twofas",
  bitwarden: "imports.formats.bitwarden",
  andotp: "imports.formats.andotp",
  gauth: "imports.formats.gauth",
  "gauth-db": "imports.formats.gauthDb",
  keepass: "imports.formats.keepass",
  "freeotp-plus": "imports.formats.freeotpPlus",
  steam: "imports.formats.steam",
  authy: "imports.formats.authy",
  freeotp: "imports.formats.freeotp",
  "microsoft-db": "imports.formats.microsoftDb",
  duo: "imports.formats.duo",
  proton: "imports.formats.proton",
  battlenet: "imports.formats.battlenet",
  stratum: "imports.formats.stratum",
  "totp-authenticator": "imports.formats.totpAuthenticator",
  "authenticator-plus": "imports.formats.authenticatorPlus",
  uris: "imports.formats.uris",
  image: "imports.formats.image",
} as const satisfies Record<Format, string>;

interface ImportUploadFormProps {
  readonly onPreview: (preview: ImportPreview, fileName: string) => void;
}

export function formatFileSize(bytes: number, language: string): string {
  const units = ["byte", "kilobyte", "megabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(language, { style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
}

export function ImportUploadForm({ onPreview }: ImportUploadFormProps) {
  const { t, i18n } = useTranslation();
  const [file, setFile] = useState<File>();
  const [format, setFormat] = useState<Format>("auto");
  const [password, setPassword] = useState("");
  const [keyFile, setKeyFile] = useState<File>();
  const [errors, setErrors] = useState<{ file?: string; format?: string; password?: string; keyFile?: string }>({});
  /** Why each row cannot be imported, when nothing in the file can be: said under the file's error. */
  const [refusal, setRefusal] = useState<ApiError>();
  const [formError, setFormError] = useState<string>();
  const [isBusy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const keyFileRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (isBusy) return;
    if (file === undefined) {
      setErrors({ file: t("imports.upload.fileRequired") });
      fileRef.current?.focus();
      return;
    }
    if (file.size > MAX_UPLOAD_BYTES) return setErrors({ file: t("imports.upload.tooLarge") });
    setBusy(true);
    setErrors({});
    setFormError(undefined);
    setRefusal(undefined);
    try {
      const data = await readFileAsBase64(file);
      const keyFileData = keyFile === undefined ? undefined : await readFileAsBase64(keyFile);
      const preview = await client.createImport({
        data,
        format,
        fileName: file.name,
        ...(password === "" ? {} : { password }),
        ...(keyFileData === undefined ? {} : { keyFile: keyFileData }),
      });
      onPreview(preview, file.name);
    } catch (error) {
      setBusy(false);
      const field = fieldOf(error);
      const message = describeProblem(error, t);
      if (error instanceof ApiError && error.rows.length > 0) setRefusal(error);
      if (field === "password") {
        setErrors({ password: password === "" ? t("imports.upload.passwordNeeded") : message });
        passwordRef.current?.focus();
      } else if (field === "keyFile") {
        setErrors({ keyFile: message });
        keyFileRef.current?.focus();
      } else if (field === "format") setErrors({ format: message });
      else if (field === "data" || field === "file" || field === "fileName") setErrors({ file: message });
      else setFormError(message);
    }
  };

  return (
    <form className="form import-form" noValidate onSubmit={(event) => void submit(event)} data-testid="import-form">
      <FormAlert message={formError} testId="import-error" />
      <FileDropZone
        chooseLabel={file === undefined ? t("imports.upload.choose") : t("imports.upload.chooseAnother")}
        prompt={t("imports.upload.prompt")}
        icon={<UploadIcon width={26} height={26} />}
        error={errors.file}
        inputRef={fileRef}
        inputTestId="import-file-input"
        isBusy={isBusy}
        chosen={
          file === undefined ? undefined : (
            <span className="chosen-file" data-testid="chosen-file">
              <FileIcon className="chosen-file__icon" />
              <span className="chosen-file__name">{file.name}</span>
              <span className="chosen-file__size">{formatFileSize(file.size, i18n.language)}</span>
            </span>
          )
        }
        onFile={(chosen) => {
          setFile(chosen);
          setErrors({});
          setFormError(undefined);
          setRefusal(undefined);
        }}
      />
      {refusal === undefined ? null : (
        <ImportProblemList rows={refusal.rows} total={typeof refusal.params.count === "number" ? refusal.params.count : refusal.rows.length} t={t} testId="import-error-rows" />
      )}
      <div className="form__row">
        <SelectField label={t("imports.upload.format")} value={format} error={errors.format} data-testid="import-format" onChange={(event) => setFormat(event.target.value as Format)}>
          {FORMATS.map((option) => (
            <option key={option} value={option}>
              {t(FORMAT_LABELS[option])}
            </option>
          ))}
        </SelectField>
      </div>
      {/* The credentials side by side: a KeePass database may need both. */}
      <div className="form__row">
        <TextField
          ref={passwordRef}
          label={t("imports.upload.password")}
          labelNote={t("entries.add.optional")}
          type="password"
          autoComplete="off"
          value={password}
          error={errors.password}
          hint={t("imports.upload.passwordHint")}
          data-testid="import-password"
          onChange={(event) => {
            setPassword(event.target.value);
            setErrors((current) => ({ ...current, password: undefined }));
          }}
        />
        <TextField
          ref={keyFileRef}
          label={t("imports.upload.keyFile")}
          labelNote={t("entries.add.optional")}
          type="file"
          error={errors.keyFile}
          hint={t("imports.upload.keyFileHint")}
          data-testid="import-key-file"
          onChange={(event) => {
            setKeyFile(event.target.files?.[0]);
            setErrors((current) => ({ ...current, keyFile: undefined, password: undefined }));
          }}
        />
      </div>
      <p className="form__note">
        <InfoIcon className="form__note-icon" />
        <span>{t("imports.upload.nothingYet")}</span>
      </p>
      <div className="form__actions form__actions--start">
        <Button type="submit" variant="primary" isBusy={isBusy} data-testid="import-upload">
          {isBusy ? t("imports.upload.reading") : t("imports.upload.submit")}
        </Button>
      </div>
    </form>
  );
}
