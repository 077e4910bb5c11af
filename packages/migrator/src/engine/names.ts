/**
 * The names of a migration's replication objects, in one place so recovery finds what a crash
 * left. Slot names are global to a PostgreSQL cluster: they carry the control database's name,
 * so two migrations on one cluster never take each other's slots.
 */
export function replicationNames(prefix: string) {
  if (!/^[a-z_][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`bad replication prefix ${prefix}`);
  return {
    /** A category's forward stream (source -> target). */
    forward: (category: string) => ({
      stream: category,
      slot: `${prefix}_${category}`,
      publication: `${prefix}_${category}`,
    }),
    /** A switch unit's reverse stream (target -> source): one slot for all its categories, in commit order. */
    reverse: (unit: readonly string[]) => {
      const name = [...unit].sort().join("_");
      return { stream: `${name}_reverse`, slot: `${prefix}_${name}_reverse`, publication: `${prefix}_${name}_reverse` };
    },
    /** The temporary slot that gives verify a snapshot and its exact LSN. */
    verify: (category: string) => `${prefix}_verify_${category}_${process.pid}`,
  };
}
export type ReplicationNames = ReturnType<typeof replicationNames>;
