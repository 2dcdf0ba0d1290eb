/**
 * The breadth-first walk over an opened file's imports (see `AnalysisService.loadDependencies`):
 * one level at a time, each file once; and the import graph's edges both ways.
 */

/**
 * The files `level` imports that are not in `seen`, each once, in first-seen order; they are
 * added to `seen`. Two files of a level often import the same module: listed twice, it was
 * loaded twice, and the second load re-read and summarised it on the event loop.
 */
export function nextImports(
  level: readonly string[],
  importsOf: (file: string) => readonly string[],
  seen: Set<string>,
): string[] {
  const out: string[] = [];
  for (const file of level) {
    for (const target of importsOf(file)) {
      if (seen.has(target)) continue;
      seen.add(target);
      out.push(target);
    }
  }
  return out;
}

/** Sets the files `file` depends on to `next`, keeping the reverse map `rdeps` in step. */
export function setEdges(
  deps: Map<string, Set<string>>,
  rdeps: Map<string, Set<string>>,
  file: string,
  next: Set<string>,
): void {
  for (const d of deps.get(file) ?? []) rdeps.get(d)?.delete(file);
  deps.set(file, next);
  for (const d of next) {
    let set = rdeps.get(d);
    if (!set) rdeps.set(d, (set = new Set()));
    set.add(file);
  }
}
