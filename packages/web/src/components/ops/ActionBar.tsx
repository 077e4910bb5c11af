import { useState } from "react";
import { ApiError } from "../../api/client";
import type { CategoryStatus, MigrationAction, VerifyReport } from "../../api/types";
import { useI18n } from "../../i18n";
import { actionsFor, dangerous, needsConfirmation, type Step, unitOf } from "../../ops/workflow";

/** What the last action pressed on a category came to. */
export type Outcome = { action: MigrationAction; at: string } & (
  | { ok: true; report?: VerifyReport }
  | { ok: false; error: unknown }
);

interface Props {
  c: CategoryStatus;
  busy: { category: string; action: MigrationAction } | null;
  next: Step | null;
  outcome: Outcome | undefined;
  onAct: (action: MigrationAction) => void;
}

/** The admin's buttons: only what the state allows, the recommended one marked, the consequential ones asked twice. */
export function ActionBar({ c, busy, next, outcome, onAct }: Props) {
  const { t, known, errorText, clock } = useI18n();
  const [asking, setAsking] = useState<MigrationAction | null>(null);
  const actions = actionsFor(c);
  // A state that moved on (another operator, pindah demo) takes a pending question with it.
  const confirming = asking && actions.includes(asking) ? asking : null;
  const recommended = next && typeof next === "object" && next.category === c.name ? next.action : null;
  const running = busy?.category === c.name ? busy.action : null;
  const name = (a: MigrationAction) => known(`ops.action.${a}`, a);

  const press = (a: MigrationAction) => {
    if (needsConfirmation.has(a)) setAsking(a);
    else onAct(a);
  };
  const confirm = (a: MigrationAction) => {
    setAsking(null);
    onAct(a);
  };

  return (
    <div className="ops-card__actions">
      <div className="ops-actions">
        {actions.length === 0 && <span className="muted small">{t("ops.noActions")}</span>}
        {actions.map((a) => {
          const kind = a === recommended ? "btn--next" : dangerous.has(a) ? "btn--danger-ghost" : "btn--ghost";
          return (
            <button
              key={a}
              type="button"
              className={`btn btn--small ${kind}`}
              data-testid="action"
              data-action={a}
              data-next={a === recommended ? "true" : undefined}
              disabled={busy !== null || confirming !== null}
              onClick={() => press(a)}
            >
              {running === a && <span className="spinner spinner--small" />}
              {name(a)}
              {a === recommended && <span className="next-tag">{t("ops.nextTag")}</span>}
            </button>
          );
        })}
      </div>

      {confirming && (
        <div className="confirm" role="alertdialog" aria-modal="false" data-testid="confirm" data-action={confirming}>
          <strong>{t("ops.confirmTitle", { action: name(confirming), category: c.name })}</strong>
          <p>{known(`ops.confirm.${confirming}`, "")}</p>
          {unitOf(c.name, confirming).length > 1 && (
            <p className="confirm__unit">{t("ops.unit", { unit: unitOf(c.name, confirming).join(" + ") })}</p>
          )}
          <div className="confirm__buttons">
            <button
              type="button"
              className="btn btn--small btn--ghost"
              data-testid="confirm-dismiss"
              onClick={() => setAsking(null)}
            >
              {t("ops.confirmCancel")}
            </button>
            <button
              type="button"
              className={`btn btn--small ${dangerous.has(confirming) ? "btn--danger" : "btn--primary"}`}
              data-testid="confirm-action"
              onClick={() => confirm(confirming)}
            >
              {t("ops.confirm", { action: name(confirming) })}
            </button>
          </div>
        </div>
      )}

      {running && (
        <p className="ops-note ops-note--running" data-testid="action-running" aria-live="polite">
          <span className="spinner spinner--small" />
          {t("ops.running", { action: name(running) })}
        </p>
      )}

      {outcome && !running && <OutcomeNote outcome={outcome} name={name} errorText={errorText} t={t} clock={clock} />}
    </div>
  );
}

function OutcomeNote({
  outcome,
  name,
  errorText,
  t,
  clock,
}: {
  outcome: Outcome;
  name: (a: MigrationAction) => string;
  errorText: (e: unknown) => string;
  t: ReturnType<typeof useI18n>["t"];
  clock: (iso: string) => string;
}) {
  if (!outcome.ok) {
    const e = outcome.error;
    const problem = e instanceof ApiError && e.status >= 400 ? e.problem : null;
    return (
      <div className="ops-note ops-note--error" role="alert" data-testid="action-error" data-status={problem?.status}>
        <strong>
          {clock(outcome.at)} · {name(outcome.action)} ·{" "}
          {problem ? `${t("ops.refused", { status: problem.status })}: ${problem.title}` : ""}
        </strong>
        <span data-testid="action-error-detail">{problem?.detail ?? errorText(e)}</span>
      </div>
    );
  }
  const r = outcome.report;
  return (
    <div className="ops-note ops-note--done" data-testid="action-done" data-action={outcome.action}>
      <strong>
        ✓ {t("ops.done", { action: name(outcome.action) })} <span className="muted">· {clock(outcome.at)}</span>
      </strong>
      {r && r.money.length > 0 && (
        <ul className="money-list">
          {r.money.map((m) => (
            <li key={m.name} className={m.equal ? "" : "bad-text"}>
              <span className="mono">{m.name}</span>{" "}
              {m.equal ? t("ops.moneyEqual") : t("ops.moneyDiffers", { n: m.differences })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
