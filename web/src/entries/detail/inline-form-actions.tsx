// The buttons under a form that opens in place on the entry page: the action first, then Cancel.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../ui/button.js";

interface InlineFormActionsProps {
  readonly submitLabel: ReactNode;
  readonly isBusy: boolean;
  /** "danger" where the action cannot be undone (overwriting the seed). */
  readonly variant?: "primary" | "danger";
  readonly submitTestId?: string;
  readonly onCancel: () => void;
}

export function InlineFormActions({ submitLabel, isBusy, variant = "primary", submitTestId, onCancel }: InlineFormActionsProps) {
  const { t } = useTranslation();
  return (
    <div className="inline-form__actions">
      <Button type="submit" variant={variant} isBusy={isBusy} data-testid={submitTestId}>
        {submitLabel}
      </Button>
      <Button variant="quiet" onClick={onCancel}>
        {t("shell.cancel")}
      </Button>
    </div>
  );
}
