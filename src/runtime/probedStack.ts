/**
 * Where the probe's real stack of the blocked thread corrects the profile's attribution: frames
 * the profile lost, the exact line of a user frame that is not the leaf, and a built-in the
 * profile booked to its caller.
 */
import type { Attribution } from './attribution';
import type { Blame } from '../shared/protocol/runtime';

/**
 * Whether the profile's blame is a frame the probe saw calling deeper user code at that very
 * line: then the profile lost those frames (the probe's stack walk sees all of them).
 */
export function lostInnerFrames(blame: Blame, probed: Attribution): boolean {
  if (!probed.blame) return false;
  const deepest = probed.stack.indexOf(probed.blame);
  const at = probed.stack.findIndex(
    (f) => f.file === blame.file && f.functionName === blame.functionName && f.line === blame.line,
  );
  return deepest >= 0 && at > deepest;
}

/**
 * The profile has no line for a user frame that is not the leaf (only leaves have line ticks):
 * the line then comes from the callee's name or the static lookup. A real stack of the blocked
 * thread (the probe's) has the exact line of every frame; when it holds the blamed frame (same
 * file and function), its line wins.
 */
export function withProbedLine(a: Attribution, probed: Attribution | undefined): Attribution {
  // The profile books a built-in (JSON.stringify) to its caller's line, where the line may not
  // show it (a wrapper inlined): the real stack names it. Only a built-in's frame (no script):
  // a JavaScript frame on top of a real stack is where V8 took the probe, the next call after a
  // long native one had returned (`isInt32` after `Buffer.from` in `fs.writeFile`), not the work.
  if (
    probed?.operationNamed &&
    !a.operationNamed &&
    probed.stack[0]?.file === '(native)' &&
    sameUserFrame(a, probed)
  ) {
    a = { ...a, operation: probed.operation, operationNamed: true };
  }
  const b = a.blame;
  if (!b || !probed || a.lineSource === 'profile' || a.lineSource === 'stack') return a;
  const at = probed.stack.findIndex(
    (f) => f.file === b.file && f.functionName === b.functionName && f.line > 0,
  );
  const p = probed.stack[at];
  if (!p) return a;
  // Only when the probe caught the same call: the frame it called is the profile's too (a
  // probe taken while the function was still preparing the call's arguments is another line).
  const calledNow = probed.stack[at - 1]?.functionName;
  const called = a.stack[a.stack.indexOf(b) - 1]?.functionName;
  if (calledNow && called && calledNow !== called) return a;
  const blame = { ...b, line: p.line, column: p.column };
  return { ...a, blame, stack: a.stack.map((f) => (f === b ? blame : f)), lineSource: 'stack' };
}

function sameUserFrame(a: Attribution, b: Attribution): boolean {
  return (
    !!a.blame &&
    !!b.blame &&
    a.blame.file === b.blame.file &&
    a.blame.functionName === b.blame.functionName
  );
}
