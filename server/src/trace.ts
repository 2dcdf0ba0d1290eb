/**
 * Milestones of the server's start and edits, written to stderr when `LOOP_LENS_TRACE` is set
 * (`npm run bench -- lsp` sets it and prints where the time went): `loop-lens-trace <name>
 * <ms since the process started>`. Off, a call costs one check.
 */
const on = !!process.env.LOOP_LENS_TRACE;

export function mark(name: string): void {
  if (on) process.stderr.write(`loop-lens-trace ${name} ${performance.now().toFixed(1)}\n`);
}
