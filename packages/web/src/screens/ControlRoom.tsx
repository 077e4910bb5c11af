import { useState } from "react";
import { ApiError } from "../api/client";
import { migration } from "../api/migration";
import type { AuditResult, JournalEntry, MigrationAction, MigrationStatus, VerifyReport } from "../api/types";
import { ErrorNote, Loading } from "../components/Feedback";
import { PulseIcon } from "../components/icons";
import type { Outcome } from "../components/ops/ActionBar";
import { CategoryCard } from "../components/ops/CategoryCard";
import { Audit, Journal } from "../components/ops/Journal";
import { Overall } from "../components/ops/Overall";
import { usePoll } from "../hooks/usePoll";
import { useI18n } from "../i18n";
import { nextStep, ordered, streamStopped } from "../ops/workflow";
import { useSession } from "../session";

const STATUS_MS = 1_000;
const JOURNAL_MS = 2_000;
/** The audit recomputes the whole hash chain on the migrator: not every second. */
const AUDIT_MS = 5_000;
const JOURNAL_ROWS = 15;

/**
 * The migration team's control room, and the ministry's window on it: overall and per-category
 * progress polled every second, the admin's actions, the journal and its audit chain.
 */
export function ControlRoom() {
  const { t, known, clock } = useI18n();
  const { role } = useSession();
  const [status, setStatus] = useState<MigrationStatus>();
  const [statusError, setStatusError] = useState<unknown>();
  const [updatedAt, setUpdatedAt] = useState<string>();
  const [journal, setJournal] = useState<JournalEntry[]>();
  // undefined: not asked yet; null: this migrator has no audit endpoint (404), so the panel is hidden.
  const [audit, setAudit] = useState<AuditResult | null>();
  const [busy, setBusy] = useState<{ category: string; action: MigrationAction } | null>(null);
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const allowed = role === "admin" || role === "regulator";
  const canAct = role === "admin";

  const refreshStatus = async () => {
    try {
      setStatus(await migration.status());
      setUpdatedAt(new Date().toISOString());
      setStatusError(undefined);
    } catch (e) {
      setStatusError(e);
    }
  };
  const refreshJournal = async () => setJournal((await migration.journal(JOURNAL_ROWS)).items);
  const refreshAudit = async () => {
    try {
      setAudit(await migration.audit());
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setAudit(null);
      else throw e;
    }
  };
  usePoll(refreshStatus, STATUS_MS, allowed, true);
  usePoll(refreshJournal, JOURNAL_MS, allowed, true);
  usePoll(refreshAudit, AUDIT_MS, allowed && audit !== null, true);

  const act = async (category: string, action: MigrationAction) => {
    setBusy({ category, action });
    setOutcomes(({ [category]: _, ...rest }) => rest);
    try {
      const res = await migration.act(category, action);
      setStatus(res.status);
      setUpdatedAt(new Date().toISOString());
      const report = action === "verify" ? (res.result as VerifyReport | null) : null;
      const at = new Date().toISOString();
      setOutcomes((o) => ({ ...o, [category]: { action, at, ok: true, ...(report?.money ? { report } : {}) } }));
    } catch (error) {
      setOutcomes((o) => ({ ...o, [category]: { action, at: new Date().toISOString(), ok: false, error } }));
    } finally {
      setBusy(null);
      refreshJournal().catch(() => undefined);
    }
  };

  if (!allowed || (statusError instanceof ApiError && statusError.status === 403)) {
    return (
      <main className="ops">
        <p className="empty" data-testid="ops-not-allowed">
          {t("ops.notAllowed")}
        </p>
      </main>
    );
  }

  const alarms = status?.categories.filter((c) => streamStopped(c.stream?.state) || c.error) ?? [];
  // As pindah demo does: nothing is recommended while a stream or copy has stopped on a problem.
  const step = status ? nextStep(status) : null;
  const next = alarms.length ? "wait" : step;
  const stale = statusError !== undefined && updatedAt;

  return (
    <main className="ops" data-testid="control-room" data-role={role}>
      <div className="ops__head">
        <div>
          <h1>
            <PulseIcon size={22} /> {t("ops.title")}
          </h1>
          <p className="muted small">{t("ops.subtitle")}</p>
        </div>
        <div className="ops__meta">
          <span className={`role-badge role-badge--${role}`} data-testid="ops-role">
            {role === "admin" ? t("ops.roleAdmin") : t("ops.roleRegulator")}
          </span>
          <span className={`poll${stale ? " poll--stale" : ""}`} data-testid="poll-status" aria-live="off">
            <span className="poll__dot" />
            {stale
              ? t("ops.stale", { time: clock(updatedAt) })
              : updatedAt
                ? t("ops.updated", { time: clock(updatedAt) })
                : t("common.loading")}
          </span>
        </div>
      </div>

      {alarms.map((c) => (
        <div key={c.name} className="alarm alarm--banner" role="alert" data-testid="alarm" data-category={c.name}>
          <strong>
            {c.name}:{" "}
            {streamStopped(c.stream?.state)
              ? t("ops.streamStopped", { state: c.stream?.state ?? "" })
              : t("ops.copyFailed")}
          </strong>
          <span className="mono">{c.stream?.error ?? c.error}</span>
        </div>
      ))}

      {!status ? (
        statusError ? (
          <ErrorNote error={statusError} onRetry={() => void refreshStatus()} />
        ) : (
          <Loading />
        )
      ) : (
        <>
          <div className="ops__top">
            <Overall status={status} />
            <section className="ops-panel ops-next" aria-labelledby="ops-next">
              <h2 id="ops-next">{t("ops.next")}</h2>
              {next !== null && (
                <p
                  className="ops-next__step"
                  data-testid="next-step"
                  data-category={next && typeof next === "object" ? next.category : undefined}
                  data-action={alarms.length ? "blocked" : next && typeof next === "object" ? next.action : next}
                >
                  {alarms.length > 0
                    ? t("ops.nextBlocked", { categories: alarms.map((c) => c.name).join(", ") })
                    : next === "done"
                      ? t("ops.nextDone")
                      : next === "wait"
                        ? t("ops.nextWait")
                        : t("ops.nextStep", {
                            action: known(`ops.action.${next.action}`, next.action),
                            category: next.category,
                          })}
                </p>
              )}
              {next && typeof next === "object" && <p className="muted small">{known(`ops.why.${next.action}`, "")}</p>}
              {!canAct && (
                <p className="read-only" data-testid="read-only">
                  {t("ops.readOnly")}
                </p>
              )}
            </section>
          </div>

          <div className="ops__cats">
            {ordered(status.categories).map((c) => (
              <CategoryCard
                key={c.name}
                c={c}
                canAct={canAct}
                busy={busy}
                next={next}
                outcome={outcomes[c.name]}
                onAct={(a) => void act(c.name, a)}
              />
            ))}
          </div>
        </>
      )}

      <div className={audit === null ? "ops__lower ops__lower--single" : "ops__lower"}>
        <Journal entries={journal} />
        {audit !== null && <Audit audit={audit} />}
      </div>
    </main>
  );
}
