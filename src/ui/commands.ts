/**
 * The Loop Lens runtime commands (palette category "Loop Lens"). Recording always runs through a
 * `loop-lens` debug session, so commands, launch.json and F5 share one path: progress with cancel,
 * Debug Console output and the Stop button.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RecordingStore } from '../common/recordingStore';
import { debugType } from '../debug/events';
import type { RecordingSessions } from './recordingSession';
import { parseRecording, serializeRecording } from './recordingFile';
import type { ProcessLister } from './processPicker';
import { pickProcess } from './processPicker';
import type { RuntimeHeat } from './lineHeat';

export interface CommandServices {
  store: RecordingStore;
  sessions: RecordingSessions;
  heat: RuntimeHeat;
  listProcesses: ProcessLister;
}

const historyKey = 'loopLens.remoteHistory';

/** Registers every runtime command. */
export function registerRuntimeCommands(
  context: vscode.ExtensionContext,
  s: CommandServices,
): void {
  const reg = (id: string, fn: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  reg('loopLens.pickProcess', () => pickProcess(s.listProcesses));
  reg('loopLens.attachProcess', (pid?: number | string) => attachProcess(s, pid));
  reg('loopLens.attachRemote', (address?: string) => attachRemote(context, address));
  reg('loopLens.launchAndRecord', (program?: vscode.Uri | string) => launchAndRecord(program));
  reg('loopLens.recordDebugSession', () => recordDebugSession(s));
  reg('loopLens.stopRecording', () => stopRecording(s));
  reg('loopLens.saveRecording', (target?: vscode.Uri) => saveRecording(s.store, target));
  reg('loopLens.openRecording', (source?: vscode.Uri) => openRecording(s.store, source));
  reg('loopLens.showHeatmap', () => showHeatmap(s));
  reg('loopLens.clearRecording', () => s.store.reset(undefined, false));
}

function folder(): vscode.WorkspaceFolder | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return (
    (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0]
  );
}

async function record(config: Omit<vscode.DebugConfiguration, 'type'>): Promise<boolean> {
  const ok = await vscode.debug.startDebugging(folder(), {
    type: debugType,
    ...config,
  } as vscode.DebugConfiguration);
  if (ok) void vscode.commands.executeCommand('workbench.view.extension.loopLens');
  return ok;
}

async function attachProcess(s: CommandServices, pid?: number | string): Promise<boolean> {
  const processId = pid ?? (await pickProcess(s.listProcesses));
  if (processId === undefined) return false;
  return record({
    request: 'attach',
    name: `Loop Lens: process ${String(processId).split(':')[0]}`,
    processId,
  });
}

/** Parses "host:port", ":port", "port" or a ws:// URL into attach fields. */
export function parseRemote(
  text: string,
): { address?: string; port?: number; websocketUrl?: string } | string {
  const t = text.trim();
  if (/^wss?:\/\//.test(t)) {
    try {
      new URL(t);
      return { websocketUrl: t };
    } catch {
      return 'Not a valid ws:// URL';
    }
  }
  const m = /^(?:\[?([^\]\s]*?)\]?:)?(\d{1,5})$/.exec(t);
  if (!m) return 'Enter host:port (e.g. 127.0.0.1:9229) or a ws:// URL';
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return 'The port must be 1-65535';
  return { address: m[1] || '127.0.0.1', port };
}

async function attachRemote(context: vscode.ExtensionContext, given?: string): Promise<boolean> {
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

async function launchAndRecord(program?: vscode.Uri | string): Promise<boolean> {
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

async function recordDebugSession(s: CommandServices): Promise<boolean> {
  const sessions = s.sessions.javascriptSessions();
  if (!sessions.length) {
    void vscode.window.showInformationMessage(
      'Loop Lens: no JavaScript debug session is running. Start one with F5, then run this command again.',
    );
    return false;
  }
  const pick =
    sessions.length === 1
      ? sessions[0]
      : (
          await vscode.window.showQuickPick(
            sessions.map((d) => ({ label: d.name, description: d.type, d })),
            { title: 'Loop Lens: Record a Debug Session' },
          )
        )?.d;
  if (!pick) return false;
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

async function stopRecording(s: CommandServices): Promise<void> {
  const session = s.sessions.activeSession;
  if (session) await vscode.debug.stopDebugging(session);
}

async function saveRecording(
  store: RecordingStore,
  target?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const rec = store.current;
  if (!rec) {
    void vscode.window.showInformationMessage('Loop Lens: there is no recording to save yet.');
    return undefined;
  }
  const stamp = rec.startedAt.replace(/[:.]/g, '-').slice(0, 19);
  const defaultUri = vscode.Uri.file(
    path.join(folder()?.uri.fsPath ?? '', `loop-lens-${stamp}.json`),
  );
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      defaultUri,
      filters: { 'Loop Lens recording': ['json'] },
      title: 'Save Loop Lens Recording',
    }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(serializeRecording(rec)));
  return uri;
}

async function openRecording(store: RecordingStore, source?: vscode.Uri): Promise<boolean> {
  const uri =
    source ??
    (
      await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'Loop Lens recording': ['json'] },
        title: 'Open Loop Lens Recording',
      })
    )?.[0];
  if (!uri) return false;
  try {
    const rec = parseRecording(
      Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'),
    );
    store.reset(rec, false);
  } catch (e) {
    void vscode.window.showErrorMessage(
      `Loop Lens: cannot open ${path.basename(uri.fsPath)}: ${e instanceof Error ? e.message : String(e)}`,
    );
    return false;
  }
  await vscode.commands.executeCommand('workbench.view.extension.loopLens');
  return true;
}

/** Reveals the sidebar and, when no visible editor shows heat, opens the hottest line. */
async function showHeatmap(s: CommandServices): Promise<void> {
  if (!s.store.current) {
    const open = 'Open Recording…';
    const attach = 'Attach to Node Process…';
    const a = await vscode.window.showInformationMessage(
      'Loop Lens: no recording yet.',
      open,
      attach,
    );
    if (a)
      {await vscode.commands.executeCommand(
        a === open ? 'loopLens.openRecording' : 'loopLens.attachProcess',
      );}
    return;
  }
  await vscode.commands.executeCommand('workbench.view.extension.loopLens');
  const shown = vscode.window.visibleTextEditors.some(
    (e) => s.heat.forFile(e.document.uri.fsPath).length,
  );
  const hottest = s.heat
    .files()
    .flatMap((f) => [...s.heat.forFile(f)])
    .sort((a, b) => b.totalMs - a.totalMs)[0];
  if (!shown && hottest && path.isAbsolute(hottest.file)) {
    const pos = new vscode.Position(hottest.line - 1, 0);
    await vscode.window.showTextDocument(vscode.Uri.file(hottest.file), {
      selection: new vscode.Range(pos, pos),
      preview: true,
    });
  }
}
