import type { AuditResult, JournalEntry } from "../../api/types";
import { useI18n } from "../../i18n";

/** Steps of a whole switch unit are journaled without a category, with the unit in their detail. */
function unitText(detail: Record<string, unknown> | null | undefined): string | null {
  const cats = detail?.categories;
  return Array.isArray(cats) && cats.length ? cats.map(String).join(" + ") : null;
}

/** The journal's latest entries, newest first: who did what to which category, and the move it made. */
export function Journal({ entries }: { entries: JournalEntry[] | undefined }) {
  const { t, known, clock, dateTime } = useI18n();
  const state = (s: string | null) => (s ? known(`ops.state.${s}`, s) : "");
  return (
    <section className="ops-panel" aria-labelledby="ops-journal">
      <h2 id="ops-journal">{t("ops.journal")}</h2>
      {entries && entries.length === 0 && <p className="muted small">{t("ops.journalEmpty")}</p>}
      {entries && entries.length > 0 && (
        <table className="journal" data-testid="journal">
          <thead>
            <tr>
              <th>{t("ops.colTime")}</th>
              <th>{t("ops.colActor")}</th>
              <th>{t("ops.colCategory")}</th>
              <th>{t("ops.colAction")}</th>
              <th>{t("ops.colMove")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="journal-entry" data-id={e.id} data-action={e.action}>
                <td className="mono" title={dateTime(e.at)}>
                  {clock(e.at)}
                </td>
                <td className="journal__actor">{e.actor}</td>
                <td>{e.category ?? unitText(e.detail) ?? "–"}</td>
                <td className="mono">{e.action}</td>
                <td className={e.to_state ? undefined : "journal__none"}>
                  {e.to_state ? (
                    <>
                      {e.from_state && (
                        <>
                          <span className={`wf-chip wf-chip--small wf-chip--${e.from_state}`}>
                            {state(e.from_state)}
                          </span>
                          {" → "}
                        </>
                      )}
                      <span className={`wf-chip wf-chip--small wf-chip--${e.to_state}`}>{state(e.to_state)}</span>
                    </>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The journal's hash chain as the migrator recomputes it: intact with its head, or the entry that breaks it. */
export function Audit({ audit }: { audit: AuditResult | undefined }) {
  const { t, num } = useI18n();
  return (
    <section className="ops-panel" aria-labelledby="ops-audit">
      <h2 id="ops-audit">{t("ops.audit")}</h2>
      {!audit ? (
        <p className="muted small">{t("ops.auditChecking")}</p>
      ) : audit.ok ? (
        <div className="audit audit--ok" data-testid="audit" data-ok="true" data-head={audit.head}>
          <strong>✓ {t("ops.auditOk", { n: num(audit.rows), head: `${audit.head.slice(0, 8)}…` })}</strong>
          <span className="mono audit__head" title={audit.head}>
            {audit.head}
          </span>
          <p className="muted small">{t("ops.auditHint")}</p>
        </div>
      ) : (
        <div className="audit audit--broken" role="alert" data-testid="audit" data-ok="false">
          <strong>
            ✗{" "}
            {t("ops.auditBroken", {
              id: audit.firstBroken?.id ?? "?",
              reason: audit.firstBroken?.reason ?? "",
            })}
          </strong>
        </div>
      )}
    </section>
  );
}
