// The one time a secret the server keeps only as a hash is shown (an API token, an invitation or
// password-reset link): a title with a warning, what it is, the value with a copy button, what
// follows it (a usage line, whether it was mailed), and gone once dismissed — nobody can show it again.
import { useState, type ReactNode } from "react";
import { Button } from "../ui/button.js";
import { CheckIcon, CopyIcon, WarningIcon } from "../ui/icons.js";
import "../ui/service-accounts.css";

interface ShownOncePanelProps {
  /** The prefix of the element ids and test ids: "created-token", "one-time-link". */
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly value: string;
  readonly copyLabel: string;
  readonly copiedLabel: string;
  readonly copyTestId: string;
  readonly dismissLabel: string;
  readonly dismissTestId: string;
  /** Under the value: a usage line, whether a mail went. */
  readonly children?: ReactNode;
  readonly onDismiss: () => void;
}

export function ShownOncePanel({ id, title, body, value, copyLabel, copiedLabel, copyTestId, dismissLabel, dismissTestId, children, onDismiss }: ShownOncePanelProps) {
  const [isCopied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
  };
  return (
    <section className="created-token" role="status" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`} className="created-token__title">
        <WarningIcon className="created-token__icon" width={18} height={18} />
        {title}
      </h2>
      <p className="created-token__body">{body}</p>
      <div className="created-token__value">
        <code className="created-token__token" data-testid={`${id}-value`}>
          {value}
        </code>
        <Button variant="secondary" icon={isCopied ? <CheckIcon className="button__icon" /> : <CopyIcon className="button__icon" />} data-testid={copyTestId} onClick={() => void copy()}>
          {isCopied ? copiedLabel : copyLabel}
        </Button>
      </div>
      {children}
      <div className="form__actions">
        <Button variant="primary" data-testid={dismissTestId} onClick={onDismiss}>
          {dismissLabel}
        </Button>
      </div>
    </section>
  );
}
