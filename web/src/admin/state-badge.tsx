// The small rounded label that says the state of a user, a service account or an API token, in
// one of three tones: all is well (active, enabled), needs a look (invited, locked, expired),
// stopped (disabled, revoked).
import type { ReactNode } from "react";
import "./state-badge.css";

export type StateTone = "good" | "warning" | "stopped";

export function StateBadge({ tone, testId, children }: { tone: StateTone; testId: string; children: ReactNode }) {
  return (
    <span className={`state-badge state-badge--${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}
