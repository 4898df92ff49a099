// Finds a user, group or service account by name as the person types (the server answers a few
// at most) and lets them choose one: a combobox with its listbox, keyboard included.
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { NamedPrincipal, PrincipalKind } from "../../../src/contract/grants.js";
import { client } from "../ui/api-client.js";
import { describeProblem } from "../ui/problem-text.js";
import { principalKindText } from "./grant-text.js";

interface PrincipalPickerProps {
  readonly label: string;
  readonly value: NamedPrincipal | undefined;
  readonly onChange: (principal: NamedPrincipal | undefined) => void;
  /** Only this kind (a folder's approver group is a group). */
  readonly kind?: PrincipalKind;
  readonly error?: string | undefined;
  readonly testId?: string;
}

const SEARCH_DELAY_MS = 200;

export function PrincipalPicker({ label, value, onChange, kind, error, testId = "principal-picker" }: PrincipalPickerProps) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState("");
  const [found, setFound] = useState<readonly NamedPrincipal[]>([]);
  const [isOpen, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    if (!isOpen) return;
    let isCancelled = false;
    const timer = setTimeout(() => {
      client.findPrincipals({ q: text.trim(), ...(kind === undefined ? {} : { kind }) }).then(
        (reply) => {
          if (isCancelled) return;
          setFound(reply.principals);
          setActive(0);
          setFailure(undefined);
        },
        (reason: unknown) => {
          if (!isCancelled) setFailure(describeProblem(reason, t));
        },
      );
    }, SEARCH_DELAY_MS);
    return () => {
      isCancelled = true;
      clearTimeout(timer);
    };
  }, [text, isOpen, kind, t]);

  const choose = (principal: NamedPrincipal): void => {
    onChange(principal);
    setText("");
    setOpen(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === "ArrowDown") setActive((i) => Math.min(found.length - 1, i + 1));
    else if (event.key === "ArrowUp") setActive((i) => Math.max(0, i - 1));
    else if (event.key === "Enter" && isOpen && found[active] !== undefined) choose(found[active]);
    else if (event.key === "Escape") setOpen(false);
    else return;
    event.preventDefault();
  };
  const message = error ?? failure;

  if (value !== undefined) {
    return (
      <div className="field principal-picker">
        <span className="field__label" id={`${id}-label`}>
          {label}
        </span>
        <div className="principal-picker__chosen" data-testid={`${testId}-chosen`}>
          <span>
            <strong>{value.name}</strong> <span className="principal-picker__kind">{value.detail ?? principalKindText(value, t)}</span>
          </span>
          <button type="button" className="button button--quiet principal-picker__change" onClick={() => onChange(undefined)} aria-describedby={`${id}-label`}>
            {t("entries.access.change")}
          </button>
        </div>
        {message === undefined ? null : <p className="field__error">{message}</p>}
      </div>
    );
  }
  return (
    <div className={`field principal-picker${message === undefined ? "" : " field--invalid"}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="field__input"
        role="combobox"
        aria-expanded={isOpen && found.length > 0}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={isOpen && found[active] !== undefined ? `${id}-option-${active}` : undefined}
        aria-invalid={message === undefined ? undefined : true}
        aria-describedby={message === undefined ? undefined : `${id}-error`}
        autoComplete="off"
        maxLength={100}
        placeholder={t("entries.access.searchPlaceholder")}
        value={text}
        data-testid={testId}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
      />
      {isOpen && found.length > 0 ? (
        <ul id={`${id}-list`} role="listbox" className="principal-picker__list" aria-label={label}>
          {found.map((principal, index) => (
            <li
              key={`${principal.kind}:${principal.id}`}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === active}
              className={`principal-picker__option${index === active ? " principal-picker__option--active" : ""}`}
              data-testid="principal-option"
              onMouseDown={(event) => {
                event.preventDefault();
                choose(principal);
              }}
            >
              <span className="principal-picker__name">{principal.name}</span>
              <span className="principal-picker__kind">
                {principalKindText(principal, t)}
                {principal.detail === null ? "" : ` · ${principal.detail}`}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {isOpen && found.length === 0 && text.trim() !== "" && failure === undefined ? <p className="field__hint">{t("entries.access.noneFound")}</p> : null}
      {message === undefined ? null : (
        <p className="field__error" id={`${id}-error`}>
          {message}
        </p>
      )}
    </div>
  );
}
