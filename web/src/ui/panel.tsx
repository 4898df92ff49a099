// A titled card on a detail page: a heading that names the region, optional actions beside it.
import { useId, type ReactNode } from "react";

interface PanelProps {
  readonly title: string;
  readonly actions?: ReactNode;
  readonly testId?: string;
  readonly className?: string;
  readonly children: ReactNode;
}

export function Panel({ title, actions, testId, className, children }: PanelProps) {
  const titleId = useId();
  return (
    <section className={`panel${className === undefined ? "" : ` ${className}`}`} aria-labelledby={titleId} data-testid={testId}>
      <div className="panel__header">
        <h2 id={titleId} className="panel__title">
          {title}
        </h2>
        {actions === undefined ? null : <div className="panel__actions">{actions}</div>}
      </div>
      <div className="panel__body">{children}</div>
    </section>
  );
}
