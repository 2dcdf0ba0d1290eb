/**
 * "Attach to Node Process…": a QuickPick shown at once with a busy indicator, filled (and kept
 * fresh) as the local Node.js processes are listed. Returns "pid" or "pid:port".
 */
import * as vscode from 'vscode';
import type { ProcessTarget } from '../shared/protocol/runtime';

interface ProcessItem extends vscode.QuickPickItem {
  target: ProcessTarget;
}

/** Lists local Node.js processes (the runtime engine's `listNodeProcesses`). */
export type ProcessLister = () => Promise<ProcessTarget[]>;

const refreshMs = 2000;

/** Shows the picker; resolves with the chosen process id ("pid" or "pid:port") or undefined. */
export function pickProcess(list: ProcessLister): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<ProcessItem>();
  qp.title = 'Loop Lens: Attach to Node Process';
  qp.placeholder = 'Pick the Node.js process to record (type to filter by pid or command line)';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  qp.show();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let open = true;
  const refresh = async () => {
    try {
      const found = await list();
      if (!open) return;
      const active = qp.activeItems[0]?.target.pid;
      qp.items = found
        .filter((p) => p.pid !== process.pid)
        .sort(byInspectorThenPid)
        .map(toItem);
      if (active) qp.activeItems = qp.items.filter((i) => i.target.pid === active);
      qp.busy = false;
      if (!found.length) qp.placeholder = 'No Node.js processes found yet; still looking…';
    } catch (e) {
      qp.busy = false;
      void vscode.window.showErrorMessage(
        `Loop Lens: listing processes failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (open) timer = setTimeout(() => void refresh(), refreshMs);
  };
  void refresh();
  return new Promise((resolve) => {
    qp.onDidAccept(() => {
      const t = qp.selectedItems[0]?.target;
      resolve(t ? (t.inspectorPort ? `${t.pid}:${t.inspectorPort}` : String(t.pid)) : undefined);
      qp.hide();
    });
    qp.onDidHide(() => {
      open = false;
      if (timer) clearTimeout(timer);
      resolve(undefined);
      qp.dispose();
    });
  });
}

function byInspectorThenPid(a: ProcessTarget, b: ProcessTarget): number {
  return Number(!!b.inspectorPort) - Number(!!a.inspectorPort) || b.pid - a.pid;
}

function toItem(t: ProcessTarget): ProcessItem {
  const cmd = t.command.length > 200 ? t.command.slice(0, 199) + '…' : t.command;
  return {
    label: `$(server-process) ${t.pid}`,
    description: t.inspectorPort ? `inspector :${t.inspectorPort}` : 'will enable the inspector',
    detail: cmd,
    target: t,
  };
}
