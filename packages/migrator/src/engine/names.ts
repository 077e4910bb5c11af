/** The names of a category's replication objects: one place, so recovery finds what a crash left. */
export const forwardNames = (category: string) => ({
  stream: category,
  slot: `pindah_${category}`,
  publication: `pindah_${category}`,
});

/** A switch unit's reverse stream (target -> source): one slot for all its categories, in commit order. */
export const reverseNames = (unit: readonly string[]) => {
  const name = [...unit].sort().join("_");
  return { stream: `${name}_reverse`, slot: `pindah_${name}_reverse`, publication: `pindah_${name}_reverse` };
};
