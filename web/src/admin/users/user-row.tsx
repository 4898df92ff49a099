// One user on Admin → Users: name, username, role (changed in place), status and lock, and the
// actions that fit their status. A refusal (last_admin…) is said next to the actions.
import { useTranslation } from "react-i18next";
import type { Role as UserRole } from "../../../../src/contract/auth.js";
import type { User, UserLinkReply } from "../../../../src/contract/users.js";
import { client } from "../../ui/api-client.js";
import { Button } from "../../ui/button.js";
import type { LinkKind } from "./one-time-link-panel.js";
import { RoleSelect } from "./role-select.js";
import { useRowAction } from "./use-row-action.js";
import { StateBadge, type StateTone } from "../state-badge.js";
import { useSudo } from "../../account/sudo.js";

const USER_TONES: Readonly<Record<User["status"], StateTone>> = { active: "good", invited: "warning", disabled: "stopped" };

interface Props {
  readonly user: User;
  readonly isSelf: boolean;
  readonly onChanged: (user: User, done: string) => void;
  readonly onLink: (reply: UserLinkReply, kind: LinkKind) => void;
  readonly onDelete: (user: User) => void;
}

export function UserRow({ user, isSelf, onChanged, onLink, onDelete }: Props) {
  const { t } = useTranslation();
  const withSudo = useSudo();
  const { busy, error, act } = useRowAction();
  const name = user.displayName || user.username;

  const changeRole = (role: UserRole) => act("role", async () => onChanged(await withSudo(() => client.changeRole(user.id, role)), t("admin.users.done.role", { name, role: t(`admin.users.roles.${role}`) })));
  const toggle = () =>
    act("toggle", async () =>
      user.status === "disabled" ? onChanged(await withSudo(() => client.enableUser(user.id)), t("admin.users.done.enabled", { name })) : onChanged(await withSudo(() => client.disableUser(user.id)), t("admin.users.done.disabled", { name })),
    );
  const unlock = () =>
    act("unlock", async () => {
      await client.unlockUser(user.username);
      onChanged({ ...user, locked: false }, t("admin.users.done.unlocked", { name }));
    });
  const link = (kind: LinkKind) => act(kind, async () => onLink(kind === "invite" ? await withSudo(() => client.reissueInvite(user.id)) : await withSudo(() => client.issuePasswordReset(user.id)), kind));

  return (
    <li className={`user-row user-row--${user.status}`} data-testid="user-row" data-username={user.username}>
      <div className="user-row__who">
        <span className="user-row__name" data-testid="user-name">
          {name}
          {isSelf ? <span className="user-row__you">{t("admin.users.you")}</span> : null}
        </span>
        <span className="user-row__username">@{user.username}</span>
        <span className="user-row__badges">
          <StateBadge tone={USER_TONES[user.status]} testId="user-status">
            {t(`admin.users.status.${user.status}`)}
          </StateBadge>
          {user.locked ? (
            <StateBadge tone="warning" testId="user-locked">
              {t("admin.users.locked")}
            </StateBadge>
          ) : null}
        </span>
        {user.email === null ? null : <span className="user-row__email">{user.email}</span>}
      </div>
      <div className="user-row__role">
        <RoleSelect value={user.role} label={t("admin.users.roleOf", { name })} testId="user-role" onChange={(role) => void changeRole(role)} />
      </div>
      <div className="user-row__actions">
        {user.locked ? (
          <Button variant="secondary" isBusy={busy === "unlock"} data-testid="unlock-user" onClick={() => void unlock()}>
            {t("admin.users.unlock")}
          </Button>
        ) : null}
        {user.status === "invited" ? (
          <Button variant="quiet" isBusy={busy === "invite"} data-testid="reissue-invite" onClick={() => void link("invite")}>
            {t("admin.users.reissueInvite")}
          </Button>
        ) : null}
        {user.status === "active" ? (
          <Button variant="quiet" isBusy={busy === "reset"} data-testid="password-reset" onClick={() => void link("reset")}>
            {t("admin.users.passwordReset")}
          </Button>
        ) : null}
        <Button
          variant="quiet"
          className={user.status === "disabled" ? undefined : "button--quiet-danger"}
          isBusy={busy === "toggle"}
          aria-label={t(user.status === "disabled" ? "admin.users.enableNamed" : "admin.users.disableNamed", { name })}
          data-testid={user.status === "disabled" ? "enable-user" : "disable-user"}
          onClick={() => void toggle()}
        >
          {t(user.status === "disabled" ? "admin.users.enable" : "admin.users.disable")}
        </Button>
        {isSelf ? null : (
          <Button variant="quiet" className="button--quiet-danger" aria-label={t("admin.users.deleteNamed", { name })} data-testid="delete-user" onClick={() => onDelete(user)}>
            {t("admin.users.delete")}
          </Button>
        )}
      </div>
      {error === undefined ? null : (
        <p className="field__error user-row__error" role="alert" data-testid="user-row-error">
          {error}
        </p>
      )}
    </li>
  );
}
