// The frame of Admin → Users and Admin → Groups: the admin sections, the title with its lede and
// the page's one "new" button (hidden while its form is open), and the last change's notice.
import type { ReactNode } from "react";
import { Button } from "../../ui/button.js";
import { PlusIcon } from "../../ui/icons.js";
import { Notice } from "../../ui/notice.js";
import { PageHeading } from "../../ui/page-heading.js";
import { AdminNav } from "../admin-nav.js";
import "./people.css";

interface Props {
  readonly kind: "users" | "groups";
  readonly title: string;
  readonly lede: string;
  /** The "new" button's label, or undefined while its form is open. */
  readonly newLabel: string | undefined;
  readonly newTestId: string;
  readonly onNew: () => void;
  readonly done: string | undefined;
  readonly onDismissDone: () => void;
  readonly children: ReactNode;
}

export function PeoplePageFrame({ kind, title, lede, newLabel, newTestId, onNew, done, onDismissDone, children }: Props) {
  return (
    <div className={`page ${kind}-page`} data-testid={`${kind}-page`}>
      <AdminNav />
      <div className="page__header">
        <div className="page__title-group">
          <PageHeading>{title}</PageHeading>
          <p className="page__lede">{lede}</p>
        </div>
        {newLabel === undefined ? null : (
          <Button variant="primary" icon={<PlusIcon className="button__icon" />} data-testid={newTestId} onClick={onNew}>
            {newLabel}
          </Button>
        )}
      </div>
      {done === undefined ? null : <Notice tone="success" title={done} onDismiss={onDismissDone} testId={`${kind === "users" ? "user" : "group"}-done`} />}
      {children}
    </div>
  );
}
