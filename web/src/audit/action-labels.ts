// What each audit action is called in the reader's language ("code.issued" → "Code handed out").
// The catalogues say them under audit.actions.<area>.<verb>; an action they do not know (one a
// newer server records) is shown as the server wrote it, never hidden.

/** Every action the viewer offers as a filter, by area, in the order the areas are listed. */
export const AUDIT_ACTIONS = [
  "code.issued",
  "recovery_code.revealed",
  "recovery_codes.revealed_all",
  "recovery_codes.replaced",
  "field.revealed",
  "seed.overwritten",
  "entry.created",
  "entry.updated",
  "entry.deleted",
  "entry.viewed",
  "entry.listed",
  "entry.policy_changed",
  "entry.policy_viewed",
  "import.previewed",
  "import.confirmed",
  "import.discarded",
  "access_request.created",
  "access_request.approved",
  "access_request.denied",
  "access_request.cancelled",
  "access_request.reviewed",
  "access_request.viewed",
  "grant.created",
  "grant.revoked",
  "grant.listed",
  "principal.searched",
  "request.denied",
  "user.signed_in",
  "user.signed_out",
  "user.second_factor_requested",
  "user.second_factor_failed",
  "user.reauthenticated",
  "user.step_up_passed",
  "user.step_up_failed",
  "user.mfa_enrolment_started",
  "user.mfa_factor_added",
  "user.mfa_factor_renamed",
  "user.mfa_factor_removed",
  "user.invited",
  "user.invite_reissued",
  "user.invite_accepted",
  "user.password_changed",
  "user.password_reset_issued",
  "user.password_reset",
  "user.profile_changed",
  "user.role_changed",
  "user.disabled",
  "user.enabled",
  "user.unlocked",
  "user.deleted",
  "user.recovery_codes_generated",
  "user.recovery_code_used",
  "user.second_factor_delayed",
  "user.second_factor_throttled",
  "user.second_factor_locked",
  "user.session_ended",
  "user.other_sessions_ended",
  "user.passkey_added",
  "user.passkey_renamed",
  "user.passkey_removed",
  "user.passkey_used",
  "user.push_device_registered",
  "user.push_device_removed",
  "user.push_requested",
  "user.push_approved",
  "user.push_denied",
  "user.push_expired",
  "user.recovery_code_sent",
  "user.recovery_method_added",
  "user.recovery_method_removed",
  "user.recovery_requested",
  "user.recovery_approved",
  "user.recovery_denied",
  "user.recovery_cancelled",
  "user.recovery_completed",
  "user.listed",
  "group.created",
  "group.renamed",
  "group.deleted",
  "group.member_added",
  "group.member_removed",
  "group.listed",
  "folder.created",
  "folder.renamed",
  "folder.deleted",
  "folder.approver_group_set",
  "folder.step_up_set",
  "folder.viewed",
  "template.created",
  "template.updated",
  "template.deleted",
  "mfa_enforcement.changed",
  "service_account.created",
  "service_account.disabled",
  "service_account.enabled",
  "service_account.listed",
  "api_token.created",
  "api_token.used",
  "api_token.revoked",
  "api_token.listed",
  "audit.verified",
  "audit.archived",
  "audit.exported",
  "audit.read",
  "key.rotation_started",
  "key.rotated",
] as const;

/** "code.issued" → ["code", "issued"]; undefined for anything that is not area.verb. */
export function actionParts(action: string): readonly [string, string] | undefined {
  const match = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$/.exec(action);
  return match === null ? undefined : [match[1]!, match[2]!];
}

/** Looks a catalogue path up; undefined when the catalogue has no sentence there. */
export type CatalogueLookup = (path: string) => string | undefined;

/** The action's label, or the action itself when the catalogue does not know it. */
export function actionLabelOf(action: string, lookup: CatalogueLookup): string {
  const parts = actionParts(action);
  if (parts === undefined) return action;
  return lookup(`audit.actions.${parts[0]}.${parts[1]}`) ?? action;
}

/** The area's label ("Codes", "Users"), or the area itself. */
export function areaLabelOf(area: string, lookup: CatalogueLookup): string {
  return lookup(`audit.areas.${area}`) ?? area;
}

export interface ActionGroup {
  readonly area: string;
  readonly label: string;
  readonly actions: readonly { readonly action: string; readonly label: string }[];
}

/** The filter's choices: the known actions by area, with `current` added when it is not among them. */
export function actionGroupsOf(lookup: CatalogueLookup, current?: string): readonly ActionGroup[] {
  const actions: string[] = [...AUDIT_ACTIONS];
  if (current !== undefined && !actions.includes(current)) actions.push(current);
  const groups = new Map<string, { action: string; label: string }[]>();
  for (const action of actions) {
    const area = actionParts(action)?.[0] ?? action;
    const group = groups.get(area) ?? [];
    group.push({ action, label: actionLabelOf(action, lookup) });
    groups.set(area, group);
  }
  return [...groups].map(([area, members]) => ({ area, label: areaLabelOf(area, lookup), actions: members }));
}
