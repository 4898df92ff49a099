// A message about something that just happened ("AWS root added"), with details under it and a
// way to dismiss it. Announced politely when it appears.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CheckCircleIcon, CloseIcon, InfoIcon, WarningIcon } from "./icons.js";

export type NoticeTone = "success" | "info" | "warning";

interface NoticeProps {
  readonly tone: NoticeTone;
  readonly title: ReactNode;
  readonly children?: ReactNode;
  readonly onDismiss?: () => void;
  readonly testId?: string;
}

const ICONS = { success: CheckCircleIcon, info: InfoIcon, warning: WarningIcon } as const;

export function Notice({ tone, title, children, onDismiss, testId }: NoticeProps) {
  const { t } = useTranslation();
  const Icon = ICONS[tone];
  return (
    <div className={`notice notice--${tone}`} role="status" data-testid={testId}>
      <Icon className="notice__icon" />
      <div className="notice__text">
        <p className="notice__title">{title}</p>
        {children === undefined ? null : <div className="notice__body">{children}</div>}
      </div>
      {onDismiss === undefined ? null : (
        <button type="button" className="icon-button notice__dismiss" aria-label={t("shell.dismiss")} onClick={onDismiss}>
          <CloseIcon width={16} height={16} />
        </button>
      )}
    </div>
  );
}
