// A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert (so
// focus stays inside), Esc closes it, the title names it, and focus returns to where it was.
// Its content mounts only while it is open, so every opening starts afresh.
import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CloseIcon } from "./icons.js";

interface DialogProps {
  readonly isOpen: boolean;
  readonly onClose: () => void;
  readonly title: string;
  /** A sentence under the title, read with it when the dialog opens. */
  readonly description?: string;
  readonly size?: "s" | "m" | "l";
  readonly testId?: string;
  readonly children: ReactNode;
}

export function Dialog({ isOpen, onClose, title, description, size = "m", testId, children }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (isOpen && !dialog.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!isOpen && dialog.open) {
      dialog.close();
    }
  }, [isOpen]);

  useEffect(() => {
    if (isOpen) return;
    const target = returnFocus.current;
    returnFocus.current = null;
    if (target?.isConnected === true) target.focus();
  }, [isOpen]);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${size}`}
      aria-labelledby={titleId}
      aria-describedby={description === undefined ? undefined : descriptionId}
      data-testid={testId}
      onCancel={(event) => {
        // Esc: the page's state decides, so closing goes through onClose.
        event.preventDefault();
        onClose();
      }}
      onClose={() => {
        if (isOpen) onClose();
      }}
    >
      {isOpen ? (
        <div className="dialog__frame">
          <div className="dialog__header">
            <div className="dialog__heading">
              <h2 id={titleId} className="dialog__title">
                {title}
              </h2>
              {description === undefined ? null : (
                <p id={descriptionId} className="dialog__description">
                  {description}
                </p>
              )}
            </div>
            <button type="button" className="icon-button dialog__close" aria-label={t("shell.close")} onClick={onClose}>
              <CloseIcon width={18} height={18} />
            </button>
          </div>
          <div className="dialog__body">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}
