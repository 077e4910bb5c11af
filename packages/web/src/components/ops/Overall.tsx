import type { MigrationStatus } from "../../api/types";
import { useI18n } from "../../i18n";
import { ordered } from "../../ops/workflow";

/**
 * The weighted figure the API computes, and under it one bar whose segments are the categories'
 * weights, each filled as far as that category has come: where the percent comes from, at a glance.
 */
export function Overall({ status }: { status: MigrationStatus }) {
  const { t, percent } = useI18n();
  const cats = ordered(status.categories);
  const weights = cats.reduce((n, c) => n + c.weight, 0) || 1;
  return (
    <section className="ops-panel ops-overall" aria-labelledby="ops-overall">
      <div className="ops-overall__head">
        <h2 id="ops-overall">{t("ops.overall")}</h2>
        <strong className="ops-overall__figure" data-testid="overall-percent" data-percent={status.overall_percent}>
          {percent(status.overall_percent)}
        </strong>
      </div>
      <div
        className="weighted"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={status.overall_percent}
        aria-labelledby="ops-overall"
      >
        {cats.map((c) => (
          <div key={c.name} className={`weighted__seg cat--${c.name}`} style={{ flexGrow: c.weight / weights }}>
            <div className="weighted__fill" style={{ width: `${Math.min(100, Math.max(0, c.percent))}%` }} />
          </div>
        ))}
      </div>
      <ul className="weighted__legend">
        {cats.map((c) => (
          <li key={c.name} className={`cat--${c.name}`}>
            <span className="weighted__swatch" />
            <strong>{c.name}</strong>
            <span className="muted">{t("ops.weight", { n: c.weight })}</span>
            <span className="weighted__pct">{percent(c.percent)}</span>
          </li>
        ))}
      </ul>
      <p className="muted small">{t("ops.overallHint")}</p>
    </section>
  );
}
