/**
 * Where a recording starts: the `loop-lens` debug session every command goes through, and the
 * pickers for a remote inspector (with history), a program or npm script to launch, and a
 * running JavaScript debug session (vscode-js-debug's CDP proxy).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseRemote } from '../debug/configuration';
import { debugType } from '../debug/events';
import type { RecordingSessions } from './recordingSession';

const historyKey = 'loopLens.remoteHistory';

export function folder(): vscode.WorkspaceFolder | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return (
    (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0]
  );
}

export async function record(config: Omit<vscode.DebugConfiguration, 'type'>): Promise<boolean> {
  const ok = await vscode.debug.startDebugging(folder(), {
    type: debugType,
    ...config,
  } as vscode.DebugConfiguration);
  if (ok) void vscode.commands.executeCommand('workbench.view.extension.loopLens');
  return ok;
}

export async function attachRemote(
  context: vscode.ExtensionContext,
  given?: string,
): Promise<boolean> {
  const history = context.workspaceState.get<string[]>(historyKey, []);
  const value = given ?? (await askRemote(history));
  if (!value) return false;
  const parsed = parseRemote(value);
  if (typeof parsed === 'string') {
    void vscode.window.showErrorMessage(`Loop Lens: ${parsed} (got '${value}').`);
    return false;
  }
  await context.workspaceState.update(
    historyKey,
    [value, ...history.filter((h) => h !== value)].slice(0, 10),
  );
  return record({ request: 'attach', name: `Loop Lens: ${value}`, ...parsed });
}

/** An input with history: earlier addresses are items, typing adds the new one on top. */
function askRemote(history: string[]): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick();
  qp.title = 'Loop Lens: Attach to Remote Process';
  qp.placeholder = 'host:port of an open inspector (node --inspect), or its ws:// URL';
  const old = history.map((label) => ({ label, description: 'recent' }));
  qp.items = old;
  qp.onDidChangeValue((v) => {
    const typed = v.trim();
    qp.items =
      typed && !history.includes(typed)
        ? [{ label: typed, description: validity(typed) }, ...old]
        : old;
  });
  qp.show();
  return new Promise((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]?.label ?? (qp.value.trim() || undefined));
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
  });
}

function validity(text: string): string {
  const p = parseRemote(text);
  return typeof p === 'string' ? p : 'attach';
}

interface LaunchItem extends vscode.QuickPickItem {
  config: Omit<vscode.DebugConfiguration, 'type'>;
}

export async function launchAndRecord(program?: vscode.Uri | string): Promise<boolean> {
  if (program) {
    const file = typeof program === 'string' ? program : program.fsPath;
    return record({
      request: 'launch',
      name: `Loop Lens: ${path.basename(file)}`,
      program: file,
      cwd: folder()?.uri.fsPath,
    });
  }
  const items = await launchChoices();
  if (!items.length) {
    void vscode.window.showInformationMessage(
      'Loop Lens: open a JavaScript file or a folder with npm scripts to launch.',
    );
    return false;
  }
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Loop Lens: Launch and Record',
    placeHolder: 'What to run and record',
  });
  return pick ? record(pick.config) : false;
}

async function launchChoices(): Promise<LaunchItem[]> {
  const items: LaunchItem[] = [];
  const doc = vscode.window.activeTextEditor?.document;
  if (doc?.uri.scheme === 'file' && /\.(c|m)?js$/.test(doc.fileName)) {
    const name = path.basename(doc.fileName);
    items.push({
      label: `$(file-code) ${name}`,
      description: 'current file',
      config: {
        request: 'launch',
        name: `Loop Lens: ${name}`,
        program: doc.fileName,
        cwd: folder()?.uri.fsPath,
      },
    });
  }
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    const scripts = await npmScripts(f.uri.fsPath);
    for (const [script, cmd] of Object.entries(scripts)) {
      items.push({
        label: `$(package) npm run ${script}`,
        description: f.name,
        detail: cmd,
        config: {
          request: 'launch',
          name: `Loop Lens: npm run ${script}`,
          runtimeExecutable: 'npm',
          runtimeArgs: ['run', script],
          cwd: f.uri.fsPath,
        },
      });
    }
  }
  return items;
}

async function npmScripts(dir: string): Promise<Record<string, string>> {
  try {
    const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    return pkg.scripts ?? {};
  } catch {
    return {}; // no package.json, or not JSON: no scripts to offer
  }
}

interface CdpProxy {
  host: string;
  port: number;
  path?: string;
}

/** Picks the session to record: the given id, the only target (child) session, or ask. */
async function pickJsSession(
  s: RecordingSessions,
  id?: string,
): Promise<vscode.DebugSession | undefined> {
  const sessions = s.javascriptSessions();
  if (id) return sessions.find((d) => d.id === id);
  // js-debug runs each process in a child session under the launch's parent session.
  const targets = sessions.filter((d) => d.parentSession);
  const choices = targets.length ? targets : sessions;
  if (choices.length <= 1) return choices[0];
  const items = choices.map((d) => ({ label: d.name, description: d.type, d }));
  return (await vscode.window.showQuickPick(items, { title: 'Loop Lens: Record a Debug Session' }))
    ?.d;
}

export async function recordDebugSession(
  sessions: RecordingSessions,
  id?: string,
): Promise<boolean> {
  const pick = await pickJsSession(sessions, id);
  if (!pick) {
    if (!sessions.javascriptSessions().length) {
      void vscode.window.showInformationMessage(
        'Loop Lens: no JavaScript debug session is running. Start one with F5, then run this command again.',
      );
    }
    return false;
  }
  let proxy: CdpProxy | undefined;
  try {
    proxy = await vscode.commands.executeCommand<CdpProxy>(
      'extension.js-debug.requestCDPProxy',
      pick.id,
    );
  } catch (e) {
    void vscode.window.showErrorMessage(
      `Loop Lens: the JavaScript debugger gave no CDP endpoint for '${pick.name}' (${e instanceof Error ? e.message : String(e)}).`,
    );
    return false;
  }
  if (!proxy) return false;
  const websocketUrl = `ws://${proxy.host}:${proxy.port}${proxy.path ?? ''}`;
  return record({ request: 'attach', name: `Loop Lens: ${pick.name}`, websocketUrl });
}
