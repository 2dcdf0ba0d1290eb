/**
 * The expressions the recorder evaluates in the target, built from the typed functions of
 * `agent/` (remote.ts): the agent's install (agent/loopAgent.ts), its poll, tune and removal.
 */
import { disposeAgent, pollAgent, tuneAgent } from './agent/commands';
import { installLoopAgent } from './agent/loopAgent';
import { remoteCall, TARGET_REQUIRE } from './agent/remote';
import type { AgentConfig, AgentMessage, AgentTuning } from './agent/types';

export type {
  AgentConfig,
  AgentHello,
  AgentMessage,
  AgentMetrics,
  AgentTuning,
} from './agent/types';
export { AGENT_SOURCE_URL } from './agent/remote';

/** Every agent's global is `${AGENT_KEY_PREFIX}<recorder id>` (one per recorder). */
export const AGENT_KEY_PREFIX = '__loopLens_';

/** The expression that installs the agent; evaluate with `includeCommandLineAPI` for `require`. */
export function agentInstallExpression(cfg: AgentConfig): string {
  return remoteCall(installLoopAgent, cfg, TARGET_REQUIRE);
}

/** Removes the agent and the binding function; safe when they are already gone. */
export function agentDisposeExpression(cfg: Pick<AgentConfig, 'key' | 'binding'>): string {
  return remoteCall(disposeAgent, cfg.key, cfg.binding);
}

/** Changes the heartbeat of an installed agent (false when it is gone). */
export function agentTuneExpression(cfg: Pick<AgentConfig, 'key'>, t: AgentTuning): string {
  return remoteCall(tuneAgent, cfg.key, t);
}

export function agentMetricsExpression(cfg: Pick<AgentConfig, 'key'>): string {
  return remoteCall(pollAgent, cfg.key);
}

/** Parses a binding payload; `undefined` for anything that is not ours. */
export function parseAgentMessage(payload: string): AgentMessage | undefined {
  try {
    const m = JSON.parse(payload) as AgentMessage;
    if (m.type === 'gap' && typeof m.s === 'number' && typeof m.e === 'number') return m;
    if (m.type === 'tick') return m;
  } catch {
    // Not ours.
  }
  return undefined;
}
