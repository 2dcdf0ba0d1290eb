/**
 * The recorder's side of the agent (agent/loopAgent.ts): installs it with its binding, tunes it,
 * hears it, puts it back if it removed itself while we were still attached (its lease ran out:
 * this recorder could not poll for that long), and removes it on stop.
 */
import type { IDisposable } from '../common/disposable';
import type { ILogger } from '../common/logger';
import type { AgentConfig, AgentHello, AgentMessage, AgentTuning } from './agent';
import {
  agentDisposeExpression,
  agentInstallExpression,
  agentTuneExpression,
  parseAgentMessage,
} from './agent';
import type { IInspectorSession } from './inspectorSession';

export class AgentLink {
  private tuning: AgentTuning | undefined;
  private reinstalling: Promise<void> | undefined;

  constructor(
    private readonly session: IInspectorSession,
    readonly config: AgentConfig,
    private readonly logger: ILogger,
  ) {}

  get key(): string {
    return this.config.key;
  }

  /** Listens to the agent's binding; the listener goes with the returned handle. */
  listen(onMessage: (m: AgentMessage) => void): IDisposable {
    return this.session.on('Runtime.bindingCalled', (e) => {
      if (e.name !== this.config.binding) return;
      const m = parseAgentMessage(e.payload);
      if (m?.type === 'gap') this.logger.trace('agent', `gap ${e.payload}`);
      if (m) onMessage(m);
    });
  }

  /** Adds the binding (before the mode starts: a launched target has not run yet). */
  async addBinding(): Promise<void> {
    await this.session.sendOrThrow('Runtime.addBinding', { name: this.config.binding });
  }

  /**
   * Evaluates the agent. A launched target (`attempts` > 1) may still be in Node's bootstrap
   * when we get there: its main context not yet known to the inspector ("Cannot find context"),
   * or known but before Node's pre-execution (timers throw `testEnabled is not a function`).
   * Between such attempts the target is released again (`runIfWaitingForDebugger` is a no-op
   * for a running target): should the first release not have reached a target still waiting
   * for its debugger, it would otherwise stay in that state for good.
   */
  async install(attempts: number): Promise<AgentHello> {
    const errors: string[] = [];
    for (let i = 0; i < attempts; i++) {
      if (i > 0) {
        await new Promise((r) => setTimeout(r, 100));
        await this.session.send('Runtime.runIfWaitingForDebugger');
      }
      let why: string;
      try {
        const r = await this.session.sendOrThrow('Runtime.evaluate', {
          expression: agentInstallExpression(this.config),
          includeCommandLineAPI: true,
          returnByValue: true,
        });
        if (!r.exceptionDetails && typeof r.result.value === 'string') {
          this.logger.trace(
            'agent',
            `installed as ${this.config.key}${i ? ` (attempt ${i + 1})` : ''}`,
          );
          return JSON.parse(r.result.value) as AgentHello;
        }
        why = r.exceptionDetails?.exception?.description ?? r.exceptionDetails?.text ?? 'no result';
      } catch (e) {
        // The connection is gone: no attempt can help.
        if (this.session.closed) throw e;
        why = e instanceof Error ? e.message : String(e);
      }
      why = why.split('\n')[0]!;
      this.logger.trace('agent', `install attempt ${i + 1} of ${attempts}: ${why}`);
      if (errors[errors.length - 1] !== why) errors.push(why);
    }
    throw new Error(
      `cannot install the loop agent after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${errors.slice(-3).join('; then ')}`,
    );
  }

  /** Changes the agent's beat; false when the agent did not take it. */
  async tune(t: AgentTuning): Promise<boolean> {
    const r = await this.session.send('Runtime.evaluate', {
      expression: agentTuneExpression(this.config, t),
      returnByValue: true,
    });
    if (r?.result?.value !== true) return false;
    this.tuning = t;
    this.logger.trace('agent', `tuned: ${JSON.stringify(t)}`);
    return true;
  }

  /** The agent is gone while we are attached (its lease ran out): install it again, once at a time. */
  reinstall(): Promise<void> {
    this.reinstalling ??= (async () => {
      this.logger.warn(
        'agent',
        'the agent removed itself (no poll for its lease): installing it again',
      );
      await this.session.send('Runtime.removeBinding', { name: this.config.binding });
      await this.addBinding();
      await this.install(1);
      if (this.tuning) await this.tune(this.tuning);
    })()
      .catch((e: unknown) => this.logger.error('agent', e instanceof Error ? e : String(e)))
      .finally(() => (this.reinstalling = undefined));
    return this.reinstalling;
  }

  /** Removes the agent and its binding (commands only; the caller bounds the wait). */
  async remove(): Promise<void> {
    const s = this.session;
    await Promise.all([
      s.send('Runtime.evaluate', { expression: agentDisposeExpression(this.config) }),
      s.send('Runtime.removeBinding', { name: this.config.binding }),
    ]);
  }
}
