/**
 * Code V8 optimized before the profiler started, and how profile mode gets rid of it.
 */
import type { ModeContext } from './modeDriver';

/**
 * Makes V8 drop the optimized code it compiled before the profiler started. Such code misleads
 * the profile: an on-stack-replacement (OSR) loop compiled earlier is never re-logged when the
 * profiler starts, so its samples lose that frame and land on the caller's call line, and
 * optimized code compiled without the profiler lacks the detailed positions of inlined code.
 * Switching V8 to precise coverage deoptimizes all functions (and empties the OSR cache);
 * switching straight back leaves no coverage running. The code is re-optimized, now under the
 * profiler, within a few hot calls. Cost, one pause of the target about as long as
 * `Profiler.start`'s own (both walk the heap): measured 4 ms on a small server, 32 ms with
 * TypeScript loaded, 180 ms (1.1 s on a loaded machine) on a 300 MB heap.
 *
 * Skipped when the target collects coverage itself (NODE_V8_COVERAGE, c8): coverage mode is
 * global, and turning it back off would discard the target's own coverage data.
 */
export async function discardPreProfilerCode(ctx: ModeContext): Promise<void> {
  const s = ctx.session;
  const ownCoverage = await s.send('Runtime.evaluate', {
    expression: `typeof process === 'object' && !!process.env && !!process.env.NODE_V8_COVERAGE`,
    returnByValue: true,
  });
  if (ownCoverage?.result?.value !== false) {
    ctx.logger.info(
      'runtime.profile',
      'the target collects coverage (or could not be asked): code optimized before attaching is kept; its lines may point at callers',
    );
    return;
  }
  const started = await s.send('Profiler.startPreciseCoverage', {
    callCount: false,
    detailed: false,
  });
  if (started) await s.send('Profiler.stopPreciseCoverage');
}
