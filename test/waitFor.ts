/**
 * Waiting on a fact, never for a time (CONTRIBUTING.md "Tests"): resolves once `cond()` holds
 * (or its promise resolves truthy),
 * checked after each turn of timers; rejects with `what` if it never does within `timeoutMs`
 * (a generous bound for a stuck test, not a measured margin).
 */
export async function waitFor<T>(
  cond: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // A timer (not setImmediate): the loop stays idle between checks, as the code under test
    // expects of a quiet process. The one place a test may wait on a timer (eslint.config.mjs).
    // eslint-disable-next-line no-restricted-syntax -- the poll interval of a wait on a fact
    await new Promise((r) => setTimeout(r, 5));
  }
}
