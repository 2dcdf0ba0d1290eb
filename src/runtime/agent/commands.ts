/**
 * The recorder's other calls into the target besides the install (loopAgent.ts): poll, tune,
 * probe, remove, close the inspector. Self-contained functions (remote.ts): each runs in the
 * target, so it uses only its parameters and the target's globals.
 */
import type { AgentApi, AgentTuning } from './types';

type Globals = Record<string, unknown>;

/** Removes the agent and the binding function; safe when they are already gone. */
export function disposeAgent(key: string, binding: string): boolean {
  const g = globalThis as unknown as Globals;
  const agent = g[key] as AgentApi | undefined;
  if (agent) agent.dispose();
  delete g[binding];
  return true;
}

/** Changes the heartbeat of an installed agent (false when it is gone). */
export function tuneAgent(key: string, t: AgentTuning): boolean {
  const agent = (globalThis as unknown as Globals)[key] as AgentApi | undefined;
  return agent ? agent.tune(t) : false;
}

/** One metrics poll ('' when the agent is gone). */
export function pollAgent(key: string): string {
  const agent = (globalThis as unknown as Globals)[key] as AgentApi | undefined;
  return agent ? agent.metrics() : '';
}

/**
 * The stack probe: captures the stack it runs on top of, with the target's monotonic clock (µs,
 * the clock of the agent's gap reports) and the agent's last beat (0 when a lazy beat was
 * resting: this wakes it); restores the user's Error settings. JSON of
 * `{ t, b, stack: [functionName, file, line, column][] }`.
 */
export function probeStack(key: string, agentUrl: string): string {
  const E = Error as ErrorConstructor & { prepareStackTrace?: unknown };
  const p = E.prepareStackTrace;
  const l = E.stackTraceLimit;
  const agent = (globalThis as unknown as Globals)[key] as AgentApi | undefined;
  E.stackTraceLimit = 64;
  E.prepareStackTrace = (_: Error, cs: NodeJS.CallSite[]) =>
    cs.map((c) => [
      c.getFunctionName() || '',
      c.getFileName() || c.getScriptNameOrSourceURL() || '',
      c.getLineNumber() || 0,
      c.getColumnNumber() || 0,
    ]);
  try {
    const t = Number(process.hrtime.bigint() / 1000n);
    const stack = new Error().stack as unknown as Array<[string, string, number, number]>;
    // On top of other JavaScript: the loop is busy (or blocked). This wakes a resting lazy beat.
    const busy = stack.some((f) => f[1] !== agentUrl);
    return JSON.stringify({ t, b: agent ? agent.probed(busy) : 0, stack });
  } finally {
    E.prepareStackTrace = p;
    E.stackTraceLimit = l;
  }
}

/**
 * Closes the inspector on the loop's next turn, after the reply that says so has gone out;
 * 'kept' while any Loop Lens agent (`keyPrefix`…) is still installed (another recording).
 */
export function closeInspector(
  keyPrefix: string,
  req: ((id: 'node:inspector') => { close(): void }) | undefined,
): 'kept' | 'unable' | 'closing' {
  const g = globalThis as unknown as Globals & { process: { _debugEnd?: () => void } };
  if (Object.getOwnPropertyNames(g).some((k) => k.startsWith(keyPrefix))) return 'kept';
  const end = g.process._debugEnd;
  const close = req ? () => req('node:inspector').close() : end && (() => end());
  if (!close) return 'unable';
  setImmediate(close);
  return 'closing';
}
