/**
 * The Loop Lens runtime commands (palette category "Loop Lens"). Recording always runs through a
 * `loop-lens` debug session, so commands, launch.json and F5 share one path: progress with cancel,
 * Debug Console output and the Stop button.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RecordingStore } from '../common/recordingStore';
import { commandIds, type CommandId } from '../shared/commands';
import type { RecordingSessions } from './recordingSession';
import { parseRecording, serializeRecording } from './recordingFile';
import type { ProcessLister } from './processPicker';
import { pickProcess } from './processPicker';
import type { RuntimeHeat } from './lineHeat';
import { attachRemote, folder, launchAndRecord, record, recordDebugSession } from './recordTargets';

export interface CommandServices {
  store: RecordingStore;
  sessions: RecordingSessions;
  heat: RuntimeHeat;
  listProcesses: ProcessLister;
}

/** Registers every runtime command. */
export function registerRuntimeCommands(
  context: vscode.ExtensionContext,
  s: CommandServices,
): void {
  const handlers: Record<CommandId, (...args: never[]) => unknown> = {
    'loopLens.pickProcess': () => pickProcess(s.listProcesses),
    'loopLens.attachProcess': (pid?: number | string) => attachProcess(s, pid),
    'loopLens.attachRemote': (address?: string) => attachRemote(context, address),
    'loopLens.launchAndRecord': (program?: vscode.Uri | string) => launchAndRecord(program),
    'loopLens.recordDebugSession': (id?: string) => recordDebugSession(s.sessions, id),
    'loopLens.stopRecording': () => stopRecording(s),
    'loopLens.saveRecording': (target?: vscode.Uri) => saveRecording(s.store, target),
    'loopLens.openRecording': (source?: vscode.Uri) => openRecording(s.store, source),
    'loopLens.showHeatmap': () => showHeatmap(s),
    'loopLens.clearRecording': () => s.store.clear(),
    'loopLens.showSessionRecording': () => showSessionRecording(s.store),
  };
  for (const id of commandIds) {
    context.subscriptions.push(vscode.commands.registerCommand(id, handlers[id]));
  }
}

/** Shows the session's recording again after a file was opened over it (live if it runs). */
async function showSessionRecording(store: RecordingStore): Promise<boolean> {
  if (!store.showSession()) {
    void vscode.window.showInformationMessage('Loop Lens: no recording session to show.');
    return false;
  }
  await vscode.commands.executeCommand('workbench.view.extension.loopLens');
  return true;
}

async function attachProcess(s: CommandServices, pid?: number | string): Promise<boolean> {
  const processId = pid ?? (await pickProcess(s.listProcesses));
  if (processId === undefined) return false;
  return record({
    request: 'attach',
    name: `Loop Lens: process ${String(processId)
      .split(',')
      .map((id) => id.split(':')[0])
      .join(', ')}`,
    processId,
  });
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
    store.openFile(rec, path.basename(uri.path));
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
    if (a) {
      await vscode.commands.executeCommand(
        a === open ? 'loopLens.openRecording' : 'loopLens.attachProcess',
      );
    }
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
