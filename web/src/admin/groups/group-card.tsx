// One group on Admin → Groups: its name (renamed in place), its members (each removable) and a
// picker of the users not in it yet.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Group } from "../../../../src/contract/groups.js";
import type { User } from "../../../../src/contract/users.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import { PencilIcon, PlusIcon, TrashIcon } from "../../ui/icons.js";
import { SelectField } from "../../ui/select-field.js";
import { personLabel } from "../users/people-queries.js";
import { useRowAction } from "../users/use-row-action.js";
import { GroupNameForm } from "./group-name-form.js";

interface Props {
  readonly group: Group;
  readonly users: readonly User[];
  readonly onChanged: (group: Group, done: string) => void;
  readonly onDelete: (group: Group) => void;
}

export function GroupCard({ group, users, onChanged, onDelete }: Props) {
  const { t } = useTranslation();
  const [isRenaming, setRenaming] = useState(false);
  const { busy, error, act } = useRowAction();
  const memberIds = new Set(group.members.map((m) => m.userId));
  const candidates = users.filter((u) => !memberIds.has(u.id));
  const [picked, setPicked] = useState("");
  const pickedId = candidates.some((u) => u.id === picked) ? picked : (candidates[0]?.id ?? "");

  const add = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const user = candidates.find((u) => u.id === pickedId);
    if (user === undefined) return;
    void act("add", async () => onChanged(await client.addGroupMember(group.id, user.id), t("admin.groups.done.added", { name: personLabel(user), group: group.name })));
  };

  return (
    <section className="service-account group-card" aria-labelledby={`group-${group.id}`} data-testid="group-card" data-group={group.name}>
      {isRenaming ? (
        <GroupNameForm
          group={group}
          save={(name) => client.renameGroup(group.id, name)}
          onCancel={() => setRenaming(false)}
          onSaved={(renamed) => {
            setRenaming(false);
            onChanged(renamed, t("admin.groups.done.renamed", { name: renamed.name }));
          }}
        />
      ) : (
        <div className="service-account__header">
          <div className="service-account__title-group">
            <h2 id={`group-${group.id}`} className="service-account__name" data-testid="group-name">
              {group.name}
            </h2>
            <span className="service-account__description">{t("admin.groups.memberCount", { count: group.members.length })}</span>
          </div>
          <div className="service-account__actions">
            <Button variant="quiet" icon={<PencilIcon className="button__icon" />} aria-label={t("admin.groups.renameNamed", { name: group.name })} data-testid="rename-group" onClick={() => setRenaming(true)}>
              {t("admin.groups.rename")}
            </Button>
            <Button variant="quiet" className="button--quiet-danger" icon={<TrashIcon className="button__icon" />} aria-label={t("admin.groups.deleteNamed", { name: group.name })} data-testid="delete-group" onClick={() => onDelete(group)}>
              {t("admin.groups.delete")}
            </Button>
          </div>
        </div>
      )}
      {group.members.length === 0 ? (
        <p className="service-account__note" data-testid="no-members">
          {t("admin.groups.noMembers")}
        </p>
      ) : (
        <ul className="group-members" aria-label={t("admin.groups.membersOf", { name: group.name })}>
          {group.members.map((member) => (
            <li key={member.userId} className="group-members__row" data-testid="group-member">
              <span className="group-members__name">{personLabel(member)}</span>
              <Button
                variant="quiet"
                className="button--quiet-danger"
                isBusy={busy === member.userId}
                aria-label={t("admin.groups.removeNamed", { name: personLabel(member), group: group.name })}
                data-testid="remove-member"
                onClick={() => void act(member.userId, async () => onChanged(await client.removeGroupMember(group.id, member.userId), t("admin.groups.done.removed", { name: personLabel(member), group: group.name })))}
              >
                {t("admin.groups.remove")}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {candidates.length === 0 ? null : (
        <form className="group-card__add" onSubmit={add} data-testid="add-member-form">
          <SelectField label={t("admin.groups.addLabel")} value={pickedId} data-testid="add-member-user" onChange={(event) => setPicked(event.target.value)}>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {personLabel(u)}
              </option>
            ))}
          </SelectField>
          <Button type="submit" variant="secondary" icon={<PlusIcon className="button__icon" />} isBusy={busy === "add"} data-testid="add-member">
            {t("admin.groups.add")}
          </Button>
        </form>
      )}
      {error === undefined ? null : (
        <p className="field__error" role="alert" data-testid="group-error">
          {error}
        </p>
      )}
    </section>
  );
}
