// Reactive props for component tests: a test changes a field of the object
// and the mounted component sees it (runes work only in .svelte(.ts) files).

/** A deeply reactive copy of init. */
export function reactive<T extends object>(init: T): T {
  const s = $state(init);
  return s;
}
