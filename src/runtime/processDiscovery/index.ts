/** Process discovery by platform; only Linux (/proc) is implemented. */
import type { ProcessTarget } from '../../shared/protocol/runtime';
import { listNodeProcessesLinux } from './linux';

/** Local Node.js processes with pid, command line and inspector port (if open). */
export async function listNodeProcesses(): Promise<ProcessTarget[]> {
  if (process.platform === 'linux') return listNodeProcessesLinux();
  // TODO(windows, macOS): enumerate with `wmic`/`ps`; /proc exists only on Linux.
  return [];
}

export { findInspectorPort, listeningPorts, commandLineOf } from './linux';
