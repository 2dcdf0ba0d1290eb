/**
 * "Attach to Node Process…": a QuickPick shown at once with a busy indicator, filled (and kept
 * fresh) as the local Node.js processes are listed. Several may be checked (a cluster's
 * workers, a service and its helper): they are recorded together. Returns "pid" or
 * "pid:port", comma-separated when several were picked.
 */
import * as vscode from 'vscode';
import type { ProcessTarget } from '../shared/protocol/runtime';

interface ProcessItem extends vscode.QuickPickItem {
  target: ProcessTarget;
}

/** Lists local Node.js processes (the runtime engine's `listNodeProcesses`). */
export type ProcessLister = () => Promise<ProcessTarget[]>;

const refreshMs = 2000;

/**
 * Shows the picker; resolves with the chosen process id ("pid" or "pid:port"), several joined by
 * commas when the user switched to checking several (the title button), or undefined.
 */
export function pickProcess(list: ProcessLister): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<ProcessItem>();
  qp.title = 'Loop Lens: Attach to Node Process';
  qp.placeholder = 'Pick the Node.js process to record (type to filter by pid or command line)';
  // One process by default (Enter picks the highlighted one); the title button lets the user
  // check several, recorded together (a cluster's workers, a service and its helper).
  const several: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('checklist'),
    tooltip: 'Pick several processes (recorded together)',
  };
  qp.buttons = [several];
  qp.onDidTriggerButton((b) => {
    if (b !== several) return;
    qp.canSelectMany = !qp.canSelectMany;
    qp.placeholder = qp.canSelectMany
      ? 'Check the Node.js processes to record together, then OK'
      : 'Pick the Node.js process to record (type to filter by pid or command line)';
  });
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
      // New items drop the checks: keep what the user checked (those still running).
      const checked = new Set(qp.selectedItems.map((i) => i.target.pid));
      qp.items = found
        .filter((p) => p.pid !== process.pid)
        .sort(byInspectorThenPid)
        .map(toItem);
      if (qp.canSelectMany) qp.selectedItems = qp.items.filter((i) => checked.has(i.target.pid));
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
      const picked = !qp.canSelectMany
        ? qp.selectedItems.slice(0, 1)
        : qp.selectedItems.length
          ? qp.selectedItems
          : qp.activeItems.slice(0, 1);
      const ids = picked.map(({ target: t }) =>
        t.inspectorPort ? `${t.pid}:${t.inspectorPort}` : String(t.pid),
      );
      resolve(ids.length ? ids.join(',') : undefined);
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
    label: `$(server-process) ${t.pid}${t.ppid ? ` ← ${t.ppid}` : ''}`,
    description: t.inspectorPort ? `inspector :${t.inspectorPort}` : 'will enable the inspector',
    detail: cmd,
    target: t,
  };
}
