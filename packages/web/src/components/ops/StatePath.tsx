import type { WorkflowState } from "../../api/types";
import { useI18n } from "../../i18n";
import { pathIndex, statePath } from "../../ops/workflow";

/** The workflow's forward path as a row of steps; a reverse shows where the writes switch was. */
export function StatePath({ state }: { state: WorkflowState }) {
  const { known } = useI18n();
  const at = pathIndex(state);
  return (
    <ol className="path" data-testid="state-path" data-state={state}>
      {statePath.map((step, i) => {
        const shown = state === "reversed" && step === "writes_switched" ? "reversed" : step;
        const where = i < at || state === "completed" ? "done" : i === at ? "now" : "todo";
        return (
          <li
            key={step}
            title={known(`ops.state.${shown}`, shown)}
            className={`path__step path__step--${where} path__step--${shown}`}
            aria-current={i === at ? "step" : undefined}
          >
            <span className="path__dot" />
            <span className="path__label">{known(`ops.step.${shown}`, shown)}</span>
          </li>
        );
      })}
    </ol>
  );
}
