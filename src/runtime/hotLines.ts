/**
 * Which line of a function the profile saw running: V8 books each sample of a function's own
 * code (not of the functions it called) to a line of it, its `positionTicks`.
 */

/**
 * The line with the most ticks. Ticks on the function's edges (`functionEdgeLines`: where V8
 * books its entry, its resumptions and its exit) count half, so that at 10 ms sampling a few
 * ticks of `await` machinery on a `return` do not outvote the loop that ran; a heavy call on an
 * edge line (`return JSON.parse(s)`) still wins by its own weight. Ties go to the earlier line.
 */
export function hottestLine(
  ticks: Map<number, number>,
  edges: ReadonlySet<number> = new Set(),
): number | undefined {
  let best: number | undefined;
  let bestW = -1;
  for (const [line, t] of ticks) {
    const w = edges.has(line) ? t / 2 : t;
    if (w > bestW || (w === bestW && best !== undefined && line < best)) {
      best = line;
      bestW = w;
    }
  }
  return best;
}
