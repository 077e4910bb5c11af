import type { CategoryStatus, MigrationAction } from "../../api/types";
import { useI18n } from "../../i18n";
import { backends, type Step, streamStopped } from "../../ops/workflow";
import { ActionBar, type Outcome } from "./ActionBar";
import { StatePath } from "./StatePath";

interface Props {
  c: CategoryStatus;
  /** An admin's session: the action buttons are shown. */
  canAct: boolean;
  /** The action this screen is waiting for, on any category (the engine runs one at a time). */
  busy: { category: string; action: MigrationAction } | null;
  next: Step | null;
  outcome: Outcome | undefined;
  onAct: (action: MigrationAction) => void;
}

const LAG_WARN_MS = 5_000;
const LAG_BAD_MS = 30_000;

/** One category: its state on the path, copy, stream, last verify, routes and (for admins) its actions. */
export function CategoryCard({ c, canAct, busy, next, outcome, onAct }: Props) {
  const { t, known, num, percent, clock, lang } = useI18n();
  const copied = BigInt(/^\d+$/.test(c.rows_copied) ? c.rows_copied : "0");
  const total = BigInt(/^\d+$/.test(c.rows_total) ? c.rows_total : "0");
  const beforeCopy = c.state === "planned" || c.state === "copying" || c.state === "cancelled";
  const copyRatio = total > 0n ? Number((copied * 10_000n) / total) / 100 : beforeCopy ? 0 : 100;
  const stopped = streamStopped(c.stream?.state);
  const route = backends(c.state);
  const lag = c.lag_ms;
  const lagText =
    lag === null
      ? "–"
      : lag < 1000
        ? `${lag} ms`
        : `${(lag / 1000).toLocaleString(lang === "id" ? "id-ID" : "en-GB", { maximumFractionDigits: 1 })} s`;
  const lagClass = lag === null ? "" : lag >= LAG_BAD_MS ? "bad" : lag >= LAG_WARN_MS ? "warn" : "good";
  const v = c.verify;

  return (
    <article
      className={`ops-card cat--${c.name}${stopped || c.error ? " ops-card--alarm" : ""}`}
      data-testid="migration-category"
      data-category={c.name}
      data-state={c.state}
    >
      <header className="ops-card__head">
        <div className="ops-card__name">
          <h3>
            <span className="weighted__swatch" />
            {c.name}
            <span className="ops-card__weight">{t("ops.weight", { n: c.weight })}</span>
          </h3>
          <p className="muted small">{known(`ops.cat.${c.name}`, "")}</p>
        </div>
        <div className="ops-card__end">
          <span className={`wf-chip wf-chip--${c.state}`} data-testid="category-state" data-state={c.state}>
            {known(`ops.state.${c.state}`, c.state)}
          </span>
          <strong className="ops-card__pct" data-testid="category-percent" data-percent={c.percent}>
            {percent(c.percent)}
          </strong>
        </div>
      </header>

      <StatePath state={c.state} />

      <div className="meter" data-testid="copy-progress" data-copied={c.rows_copied} data-total={c.rows_total}>
        <div className="meter__bar">
          <div
            className={`meter__fill${c.state === "copying" ? " meter__fill--live" : ""}`}
            style={{ width: `${copyRatio}%` }}
          />
        </div>
        <span className="meter__text">
          {c.state === "copying" || copied < total
            ? t("ops.rows", { copied: num(c.rows_copied), total: num(c.rows_total) })
            : total > 0n
              ? t("ops.rowsDone", { total: num(c.rows_total) })
              : t("ops.rowsNone")}
        </span>
      </div>

      {(stopped || c.error) && (
        <div className="alarm" role="alert" data-testid="stream-error">
          <strong>{stopped ? t("ops.streamStopped", { state: c.stream?.state ?? "" }) : t("ops.copyFailed")}</strong>
          <span className="mono alarm__text" title={c.stream?.error ?? c.error ?? ""}>
            {c.stream?.error ?? c.error}
          </span>
        </div>
      )}

      <dl className="ops-facts">
        <div>
          <dt>{t("ops.stream")}</dt>
          <dd data-testid="stream" data-state={c.stream?.state ?? "none"}>
            {c.stream ? (
              <>
                <span className={`stream-dot stream-dot--${c.stream.state}`} />
                {known(`ops.streamState.${c.stream.state}`, c.stream.state)} ·{" "}
                {c.stream.direction === "reverse" ? t("ops.reverse") : t("ops.forward")}
                <span className="muted"> · {t("ops.streamRows", { n: num(c.stream.rows) })}</span>
              </>
            ) : (
              <span className="muted">{c.state === "completed" ? t("ops.streamDone") : t("ops.noStream")}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("ops.lag")}</dt>
          <dd className={`lag lag--${lagClass}`} data-testid="stream-lag" data-lag-ms={lag ?? ""}>
            {lagText}
          </dd>
        </div>
        <div className="ops-facts__wide">
          <dt>{t("ops.verify")}</dt>
          <dd data-testid="verify-result" data-ok={v ? String(v.ok) : "none"}>
            {v ? (
              <>
                <span className={`verdict verdict--${v.ok ? "ok" : "bad"}`}>
                  {v.ok ? `✓ ${t("ops.verifyOk")}` : `✗ ${t("ops.verifyBad")}`}
                </span>{" "}
                <span className={v.mismatches ? "bad-text" : ""}>{t("ops.mismatches", { n: num(v.mismatches) })}</span>
                {" · "}
                <span className={v.money_ok ? "" : "bad-text"}>
                  {v.money_ok ? t("ops.moneyOk") : t("ops.moneyBad")}
                </span>
                <span className="muted">
                  {" · "}
                  {t("ops.ranges", { done: num(v.ranges_verified), all: num(v.ranges) })} · {clock(v.at)}
                </span>
              </>
            ) : (
              <span className="muted">{t("ops.verifyNone")}</span>
            )}
          </dd>
        </div>
        <div className="ops-facts__wide" data-testid="backends" title={t("ops.routesHint")}>
          <dt>
            {t("ops.reads")} / {t("ops.writes")}
          </dt>
          <dd className="routes">
            <span className={`backend backend--${route.reads}`} data-testid="reads-backend">
              {t("ops.reads")}: {route.reads}
            </span>
            <span className={`backend backend--${route.writes}`} data-testid="writes-backend">
              {t("ops.writes")}: {route.writes}
            </span>
          </dd>
        </div>
        {(c.retired.tables > 0 || c.state === "completed") && (
          <div className="ops-facts__wide">
            <dt>{t("ops.retiredLabel")}</dt>
            <dd data-testid="retired">{t("ops.retired", { n: c.retired.tables, of: c.retired.of })}</dd>
          </div>
        )}
      </dl>

      {canAct && <ActionBar c={c} busy={busy} next={next} outcome={outcome} onAct={onAct} />}
    </article>
  );
}
