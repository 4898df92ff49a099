// A whole-page outcome: an icon, a heading, a sentence or two and what to do next.
import type { ReactNode } from "react";
import { PageHeading } from "./page-heading.js";

export type StatusTone = "success" | "info" | "warning" | "error";

interface StatusPanelProps {
  readonly tone: StatusTone;
  readonly icon: ReactNode;
  readonly title: string;
  readonly children: ReactNode;
  readonly actions?: ReactNode;
  readonly testId?: string;
}

export function StatusPanel({ tone, icon, title, children, actions, testId }: StatusPanelProps) {
  return (
    <div className={`status-panel status-panel--${tone}`} data-testid={testId}>
      <div className="status-panel__icon">{icon}</div>
      <PageHeading className="status-panel__title">{title}</PageHeading>
      <div className="status-panel__body">{children}</div>
      {actions === undefined ? null : <div className="status-panel__actions">{actions}</div>}
    </div>
  );
}
