// The three roles as a labelled select, with what each may do as its hint.
import { useTranslation } from "react-i18next";
import type { Role as UserRole } from "../../../../src/contract/auth.js";
import { SelectField } from "../../ui/select-field.js";

export const ROLES: readonly UserRole[] = ["admin", "member", "auditor"];

export function RoleSelect({ value, onChange, testId, label }: { value: UserRole; onChange: (role: UserRole) => void; testId: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <SelectField label={label ?? t("admin.users.role")} hint={t(`admin.users.roleHints.${value}`)} value={value} data-testid={testId} onChange={(event) => onChange(event.target.value as UserRole)}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`admin.users.roles.${role}`)}
        </option>
      ))}
    </SelectField>
  );
}
