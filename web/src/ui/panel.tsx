// A titled card on a detail page: a heading that names the region, optional actions beside it.
// Level 3 is a panel's own sub-section (a divider, no card of its own), as on Sign-in & security.
import { useId, type ReactNode } from "react";

interface PanelProps {
  readonly title: string;
  readonly actions?: ReactNode;
  readonly testId?: string;
  readonly className?: string;
  readonly headingLevel?: 2 | 3;
  readonly children: ReactNode;
}

export function Panel({ title, actions, testId, className, headingLevel = 2, children }: PanelProps) {
  const titleId = useId();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const base = headingLevel === 2 ? "panel" : "panel panel--sub";
  return (
    <section className={`${base}${className === undefined ? "" : ` ${className}`}`} aria-labelledby={titleId} data-testid={testId}>
      <div className="panel__header">
        <Heading id={titleId} className="panel__title">
          {title}
        </Heading>
        {actions === undefined ? null : <div className="panel__actions">{actions}</div>}
      </div>
      <div className="panel__body">{children}</div>
    </section>
  );
}
