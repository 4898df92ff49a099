// One access request as a card: who asks for what, for how long and why, its decisions so far,
// and what the reader may do with it (approve or deny with a comment, review, cancel).
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AccessRequest } from "../../../src/contract/access-requests.js";
import { client } from "../ui/api-client.js";
import { Button } from "../ui/button.js";
import { FormAlert } from "../ui/form-alert.js";
import { describeProblem } from "../ui/problem-text.js";
import { SelectField } from "../ui/select-field.js";
import { TextField } from "../ui/text-field.js";
import { useDurationText } from "./duration-text.js";
import { DURATION_CHOICES } from "./durations.js";

/** What an approver may grant instead: the window asked for, or a shorter one (from the server's five minutes). */
const shorterWindows = (asked: number): number[] => [...new Set([300, ...DURATION_CHOICES].filter((seconds) => seconds < asked)), asked];

type Action = "approve" | "deny" | "review" | "cancel";

export function RequestCard({ request, mode, onChanged }: { request: AccessRequest; mode: "mine" | "decide"; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const durationText = useDurationText();
  const [comment, setComment] = useState("");
  const [grantSeconds, setGrantSeconds] = useState(request.durationSeconds);
  const [busy, setBusy] = useState<Action>();
  const [error, setError] = useState<string>();
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);

  const act = async (action: Action): Promise<void> => {
    setBusy(action);
    setError(undefined);
    const body = comment.trim() === "" ? {} : { comment: comment.trim() };
    try {
      if (action === "approve") await client.approveAccessRequest(request.id, grantSeconds < request.durationSeconds ? { ...body, durationSeconds: grantSeconds } : body);
      else if (action === "deny") await client.denyAccessRequest(request.id, body);
      else if (action === "review") await client.reviewEmergencyUse(request.id, body);
      else await client.cancelAccessRequest(request.id);
      onChanged();
    } catch (failure) {
      setError(describeProblem(failure, t));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <li className={`panel request-card${request.emergency ? " request-card--emergency" : ""}`} data-testid="request-card" data-request-id={request.id}>
      <div className="panel__body">
        <p className="request-card__title">
          <strong>{request.target.name}</strong> · {t(`access.permission.${request.permission}`)} · {durationText(request.durationSeconds)}
          <span className={`badge badge--${request.status}`} data-testid="request-status">
            {t(`access.status.${request.status}`)}
          </span>
        </p>
        <p className="request-card__meta">
          {t("access.card.askedBy", { name: request.requester.displayName, when: when(request.createdAt) })}
          {request.approvalsRequired > 1 && request.status === "pending" ? ` · ${t("access.card.approvals", { count: request.approvals, required: request.approvalsRequired })}` : null}
        </p>
        <p className="request-card__reason">{t("access.card.quoted", { text: request.reason })}</p>
        {request.decisions.map((d) => (
          <p key={d.approver.id} className="request-card__decision">
            {t(`access.card.decision.${d.decision}`, { name: d.approver.displayName, when: when(d.decidedAt) })}
            {d.comment === null ? null : ` — ${t("access.card.quoted", { text: d.comment })}`}
          </p>
        ))}
        {request.grant === null ? null : <p className="request-card__decision">{t("access.card.grantUntil", { when: when(request.grant.expiresAt) })}</p>}
        <FormAlert message={error} />
        {mode === "decide" && request.canDecide ? (
          <div className="inline-form">
            {request.emergency ? null : (
              <SelectField label={t("access.card.grantFor")} value={String(grantSeconds)} data-testid="approve-duration" onChange={(event) => setGrantSeconds(Number(event.target.value))}>
                {shorterWindows(request.durationSeconds).map((seconds) => (
                  <option key={seconds} value={seconds}>
                    {seconds === request.durationSeconds ? t("access.card.asked", { duration: durationText(seconds) }) : durationText(seconds)}
                  </option>
                ))}
              </SelectField>
            )}
            <TextField label={t("access.card.comment")} value={comment} maxLength={500} autoComplete="off" data-testid="decision-comment" onChange={(event) => setComment(event.target.value)} />
            <div className="inline-form__actions">
              {request.emergency ? (
                <Button variant="primary" isBusy={busy === "review"} data-testid="review-request" onClick={() => void act("review")}>
                  {t("access.card.review")}
                </Button>
              ) : (
                <>
                  <Button variant="primary" isBusy={busy === "approve"} data-testid="approve-request" onClick={() => void act("approve")}>
                    {t("access.card.approve")}
                  </Button>
                  <Button variant="quiet" className="button--quiet-danger" isBusy={busy === "deny"} data-testid="deny-request" onClick={() => void act("deny")}>
                    {t("access.card.deny")}
                  </Button>
                </>
              )}
            </div>
          </div>
        ) : null}
        {mode === "mine" && request.status === "pending" ? (
          <Button variant="quiet" isBusy={busy === "cancel"} data-testid="cancel-request" onClick={() => void act("cancel")}>
            {t("access.card.cancel")}
          </Button>
        ) : null}
      </div>
    </li>
  );
}
