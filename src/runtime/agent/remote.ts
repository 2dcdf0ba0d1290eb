/**
 * Code that runs in the target is written as self-contained TypeScript functions (this folder)
 * and sent as the source of a call, as vscode-js-debug's `remoteFunction` does: type-checked
 * and linted with the rest, and unit tests call the same functions in-process.
 *
 * Self-contained means the function uses only its parameters and the target's globals. Two
 * things a compiler may add are handled here: tsx (the tests) wraps named functions in
 * `__name(...)` calls, so the call defines `__name` as the identity; and the outer function is
 * made anonymous, so the stack probe tells its own frames (anonymous, in `AGENT_SOURCE_URL`)
 * from the agent's named ones (probeSnapshot.ts `framesOfSnapshot`).
 */

/** The `//# sourceURL` of everything we evaluate in the target: stacks tell our frames by it. */
export const AGENT_SOURCE_URL = 'loop-lens-agent.js';

/** JavaScript source passed as an argument as is (e.g. `globalThis`), not as JSON. */
class RawSource {
  constructor(readonly source: string) {}
}

/** Resolves Node's `require` in an evaluate with `includeCommandLineAPI` (main thread or worker). */
export const TARGET_REQUIRE = new RawSource(
  "typeof require === 'function' ? require : globalThis.process.mainModule && globalThis.process.mainModule.require.bind(globalThis.process.mainModule)",
);

/** A function argument can only be passed as source; data as JSON or source. */
type Arg<T> = T extends (...a: never[]) => unknown ? RawSource : T | RawSource;

/** The source of an expression that calls `fn` in the target with these arguments. */
export function remoteCall<A extends unknown[], R>(
  fn: (...args: A) => R,
  ...args: { [K in keyof A]: Arg<A[K]> }
): string {
  const source = fn.toString().replace(/^(async\s+)?function\s*[\w$]*\s*\(/, '$1function (');
  const list = (args as unknown[])
    .map((a) => (a instanceof RawSource ? a.source : JSON.stringify(a)))
    .join(', ');
  return `(function () { const __name = (f) => f; return (${source})(${list}); })()\n//# sourceURL=${AGENT_SOURCE_URL}`;
}
