import type { Queryable } from "@pindah/kernel/db/pool";

import { type WorkflowState, workflowStates } from "./steps.js";

export { type WorkflowState, workflowStates };

export interface Workflow {
  category: string;
  weight: number;
  state: WorkflowState;
  changedAt: Date;
}

export class IllegalTransition extends Error {}

const toWorkflow = (r: Record<string, unknown>): Workflow => ({
  category: r.category as string,
  weight: r.weight as number,
  state: r.state as WorkflowState,
  changedAt: r.changed_at as Date,
});

/** Registers the categories of a spec, each `planned`; existing ones keep their state. */
export async function planWorkflows(db: Queryable, categories: { name: string; weight: number }[], actor: string) {
  await db.query(
    `WITH added AS (
       INSERT INTO control.workflows (category, weight)
       SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT (category) DO NOTHING RETURNING category)
     INSERT INTO control.journal (category, actor, action, to_state) SELECT category, $3, 'plan', 'planned' FROM added`,
    [categories.map((c) => c.name), categories.map((c) => c.weight), actor],
  );
}

export async function readWorkflows(db: Queryable): Promise<Workflow[]> {
  const { rows } = await db.query("SELECT * FROM control.workflows ORDER BY weight DESC, category");
  return rows.map(toWorkflow);
}

/**
 * Moves a category (or several together: all or none) from `from` to `to` and journals it, in
 * one statement: a concurrent move or a stale `from` changes nothing and throws; so does a move
 * the transition table forbids.
 */
export async function transition(
  db: Queryable,
  category: string | readonly string[],
  from: WorkflowState,
  to: WorkflowState,
  actor: string,
  detail: Record<string, unknown> = {},
): Promise<Workflow> {
  const categories = typeof category === "string" ? [category] : [...category];
  const { rows } = await db
    .query(
      `WITH moved AS (
         UPDATE control.workflows SET state = $3 WHERE category = ANY ($1) AND state = $2
            AND (SELECT count(*) FROM control.workflows WHERE category = ANY ($1) AND state = $2) = cardinality($1::text[])
         RETURNING *),
       logged AS (
         INSERT INTO control.journal (category, actor, action, from_state, to_state, detail)
         SELECT category, $4, 'transition', $2, $3, $5 FROM moved)
       SELECT * FROM moved ORDER BY category`,
      [categories, from, to, actor, JSON.stringify(detail)],
    )
    .catch((err: { code?: string; message: string }) => {
      throw err.code === "23514" ? new IllegalTransition(err.message) : err;
    });
  if (!rows[0]) throw new IllegalTransition(`workflow ${categories.join(" + ")} is not in state ${from}`);
  return toWorkflow(rows[0]);
}

/** Journals an action that moves no state (a verify run, a held switch that was cancelled ...). */
export async function record(
  db: Queryable,
  category: string | null,
  action: string,
  actor: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await db.query("INSERT INTO control.journal (category, actor, action, detail) VALUES ($1, $2, $3, $4)", [
    category,
    actor,
    action,
    JSON.stringify(detail),
  ]);
}
