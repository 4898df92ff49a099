// "Verify": checks the whole chain on the server, with its progress, and says the verdict in the
// reader's language from the finding's key: intact, or the first event at fault and what was done
// to it. Progress is counted as the server streams it (events checked of all), and shown as
// running without a count until the first line comes, or from a server that does not stream.
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AuditVerificationReply } from "../../../src/contract/audit.js";
import type { ProblemKey } from "../../../src/contract/problem.js";
import { useSession } from "../account/session.js";
import { Button } from "../ui/button.js";
import { ErrorIcon, ShieldCheckIcon } from "../ui/icons.js";
import { describeProblem, sayProblem } from "../ui/problem-text.js";
import { auditKeys } from "./audit-queries.js";
import { verifyAuditChain, type VerifyProgress } from "./verify-stream.js";

type State =
  | { readonly status: "idle" }
  | { readonly status: "running"; readonly progress: VerifyProgress | undefined }
  | { readonly status: "done"; readonly reply: AuditVerificationReply }
  | { readonly status: "failed"; readonly error: unknown };

interface VerifyPanelProps {
  /** Opens the event with this seq when the page has it loaded; undefined when it has not. */
  readonly showEvent: (seq: number) => (() => void) | undefined;
}

export function VerifyPanel({ showEvent }: VerifyPanelProps) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ status: "idle" });
  const run = useRef(0);
  const queryClient = useQueryClient();
  const { state: session } = useSession();
  const csrfToken = session.status === "signed-in" ? session.session.csrfToken : "";

  const verify = async (): Promise<void> => {
    const mine = (run.current += 1);
    setState({ status: "running", progress: undefined });
    try {
      const reply = await verifyAuditChain(csrfToken, (progress) => {
        if (run.current === mine) setState({ status: "running", progress });
      });
      if (run.current === mine) setState({ status: "done", reply });
      // What the page shows was read before: after a break, it shows the rows as they are now.
      if (!reply.intact) void queryClient.invalidateQueries({ queryKey: auditKeys.all });
    } catch (error) {
      if (run.current === mine) setState({ status: "failed", error });
    }
  };

  const isRunning = state.status === "running";
  return (
    <section className="audit-tool audit-verify" aria-labelledby="audit-verify-title" data-testid="audit-verify">
      <div className="audit-tool__text">
        <h2 id="audit-verify-title" className="audit-tool__title">
          {t("audit.verify.title")}
        </h2>
        <p className="audit-tool__lede">{t("audit.verify.lede")}</p>
      </div>
      <Button variant="secondary" icon={<ShieldCheckIcon className="button__icon" />} isBusy={isRunning} onClick={() => void verify()} data-testid="audit-verify-start">
        {isRunning ? t("audit.verify.running") : state.status === "idle" ? t("audit.verify.start") : t("audit.verify.again")}
      </Button>
      {state.status === "running" ? <Progress progress={state.progress} /> : null}
      {state.status === "done" ? <Verdict reply={state.reply} showEvent={showEvent} /> : null}
      {state.status === "failed" ? (
        <div className="audit-verdict audit-verdict--broken" role="alert" data-testid="audit-verify-failed">
          <ErrorIcon className="audit-verdict__icon" />
          <div>
            <p className="audit-verdict__title">{t("audit.verify.failed")}</p>
            <p>{describeProblem(state.error, t)}</p>
          </div>
        </div>
      ) : null}
    </section>
  );
}

function Progress({ progress }: { progress: VerifyProgress | undefined }) {
  const { t } = useTranslation();
  const isCounted = progress !== undefined && progress.total > 0;
  return (
    <div className="audit-progress" data-testid="audit-verify-progress">
      {/* Without a count the bar runs without a value (indeterminate), as a native <progress> does. */}
      <progress className="audit-progress__bar" aria-label={t("audit.verify.progress")} max={isCounted ? progress.total : undefined} value={isCounted ? progress.checked : undefined} />
      {isCounted ? (
        <span className="audit-progress__count" data-testid="audit-verify-count">
          {t("audit.verify.progressCount", { checked: progress.checked, total: progress.total })}
        </span>
      ) : null}
    </div>
  );
}

function Verdict({ reply, showEvent }: { reply: AuditVerificationReply } & VerifyPanelProps) {
  const { t } = useTranslation();
  // The finding as the server names it, said in this language; the server's English otherwise.
  const sentence = sayProblem(reply.finding.key as ProblemKey, reply.finding.params, t) ?? reply.message;
  if (reply.intact) {
    return (
      <div className="audit-verdict audit-verdict--intact" role="status" data-testid="audit-verdict" data-verdict="intact">
        <ShieldCheckIcon className="audit-verdict__icon" width={20} height={20} />
        <div>
          <p className="audit-verdict__title">{t("audit.verify.intact")}</p>
          <p data-testid="audit-verdict-sentence">{sentence}</p>
        </div>
      </div>
    );
  }
  const open = reply.brokenAt === null ? undefined : showEvent(reply.brokenAt);
  return (
    <div className="audit-verdict audit-verdict--broken" role="alert" data-testid="audit-verdict" data-verdict="broken" data-broken-at={reply.brokenAt ?? undefined}>
      <ErrorIcon className="audit-verdict__icon" width={20} height={20} />
      <div>
        <p className="audit-verdict__title">{t("audit.verify.broken")}</p>
        <p data-testid="audit-verdict-sentence">{sentence}</p>
        {reply.brokenAt === null ? null : <p className="audit-verdict__fault">{t("audit.verify.atFault", { seq: reply.brokenAt })}</p>}
        {open === undefined ? null : (
          <button type="button" className="audit-verdict__show" onClick={open} data-testid="audit-verdict-show">
            {t("audit.verify.showEvent", { seq: reply.brokenAt })}
          </button>
        )}
      </div>
    </div>
  );
}
