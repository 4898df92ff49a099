// Naming a group, new (a card above the list) or renamed (in its card): admin/name-form.tsx with a
// group's length, wording and looks.
import { useTranslation } from "react-i18next";
import type { Group } from "../../../../src/contract/groups.js";
import { NameForm } from "../name-form.js";

interface Props {
  readonly group?: Group;
  readonly save: (name: string) => Promise<Group>;
  readonly onSaved: (group: Group) => void;
  readonly onCancel: () => void;
}

export function GroupNameForm({ group, save, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const kind = group === undefined ? "new" : "rename";
  return (
    <NameForm
      initialName={group?.name ?? ""}
      label={t("admin.groups.name")}
      submitLabel={t(group === undefined ? "admin.groups.create" : "admin.groups.saveName")}
      requiredText={t("problems.group_name_required")}
      maxLength={100}
      look={{ form: group === undefined ? "form template-form-card" : "form group-card__rename", actions: "form__actions" }}
      testIds={{ form: `${kind}-group-form`, name: `${kind}-group-name`, submit: `save-${kind}-group` }}
      save={save}
      onSaved={onSaved}
      onCancel={onCancel}
    />
  );
}
