/**
 * The breadth-first walk over an opened file's imports (see `AnalysisService.loadDependencies`):
 * one level at a time, each file once.
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
