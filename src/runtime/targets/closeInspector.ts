/**
 * A `pid` target was started without an inspector; SIGUSR1 opened one for the recording.
 * Stopping closes it again, so the process is left as it was: no debug port left listening on
 * loopback, where anyone on the machine could connect and run code in the process. It stays
 * open when another Loop Lens recording is still attached (its agent is in the target), or when
 * the user asks (`keepInspector`, `--keep-inspector`). Measured here (Node 20): the close costs
 * the target no loop delay above its 5 ms histogram resolution, and SIGUSR1 opens it again.
 */
import { within } from '../../common/within';
import { AGENT_KEY_PREFIX } from '../agent';
import { closeInspector } from '../agent/commands';
import { remoteCall, TARGET_REQUIRE } from '../agent/remote';
import type { IInspectorSession } from '../inspectorSession';
import type { ResolvedTarget } from './resolve';
import { listeningPorts } from '../processDiscovery';

/** Closes the inspector on the loop's next turn (agent/commands.ts `closeInspector`). */
const CLOSE_INSPECTOR_EXPRESSION = remoteCall(closeInspector, AGENT_KEY_PREFIX, TARGET_REQUIRE);

type CloseOutcome = 'closed' | 'kept' | 'unable';

/**
 * Asks the target to close its inspector (call last: our own connection ends with it), and
 * confirms it: our connection is closed by the target, then the port leaves the pid's listening
 * sockets.
 */
async function closeOpenedInspector(
  session: IInspectorSession,
  target: Pick<ResolvedTarget, 'wsUrl' | 'pid'>,
  timeoutMs: number,
): Promise<CloseOutcome> {
  const deadline = Date.now() + timeoutMs;
  let listener: { dispose(): void } | undefined;
  const closed = new Promise<true>((r) => {
    if (session.closed) r(true);
    else listener = session.onClose(() => r(true));
  });
  const r = await session.send('Runtime.evaluate', {
    expression: CLOSE_INSPECTOR_EXPRESSION,
    includeCommandLineAPI: true,
    returnByValue: true,
  });
  const v: unknown = r?.result?.value;
  if (v === 'kept') return 'kept';
  if (v !== 'closing') return 'unable';
  const port = Number(new URL(target.wsUrl).port);
  const gone = await within(closed, deadline - Date.now());
  listener?.dispose();
  if (!gone) return 'unable';
  while (target.pid !== undefined && Date.now() < deadline) {
    if (!(await listeningPorts(target.pid)).includes(port)) return 'closed';
    await new Promise((res) => setTimeout(res, 20));
  }
  return target.pid === undefined ? 'closed' : 'unable';
}

/**
 * Closes the inspector a `pid` recording opened (unless `keep`), within `timeoutMs`, and says
 * what became of it.
 */
export async function leaveInspector(
  session: IInspectorSession,
  target: Pick<ResolvedTarget, 'wsUrl' | 'pid'>,
  keep: boolean,
  timeoutMs: number,
): Promise<string> {
  const outcome = keep ? 'asked-to-keep' : await closeOpenedInspector(session, target, timeoutMs);
  return inspectorNote(outcome, target.pid, new URL(target.wsUrl).host);
}

/** What the user is told after stopping. */
function inspectorNote(
  outcome: CloseOutcome | 'asked-to-keep',
  pid: number | undefined,
  port: string,
): string {
  const who = pid ? `pid ${pid}` : 'the target';
  switch (outcome) {
    case 'closed':
      return `closed the inspector that Loop Lens opened in ${who}`;
    case 'kept':
      return `left the inspector of ${who} open: another Loop Lens recording is attached to it`;
    case 'asked-to-keep':
      return `left the inspector of ${who} listening on ${port} as asked: anyone on this machine can connect to it and run code in the process`;
    case 'unable':
      return `could not close the inspector Loop Lens opened in ${who}; it still listens on ${port}`;
  }
}
