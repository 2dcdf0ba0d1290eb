import * as vscode from 'vscode';
import { RecordingStore } from '../common/recordingStore';
import { listProcesses, recorderFactory } from '../debug/recorder';
import { registerRuntimeCommands } from './commands';
import { registerDebugAdapter } from './debugAdapterFactory';
import { HeatCodeLens, HeatDecorations } from './decorations';
import { Logger } from './log';
import { RuntimeHeat } from './lineHeat';
import { RecordingSessions } from './recordingSession';
import { RecordingStatusBar } from './statusBar';
import { StallTreeProvider } from './stallTree';
import { registerStallsView } from './stallsViewProvider';

/**
 * What the runtime UI hands back to `activate()`: the shared store, the per-line heat (the seam
 * for marking static findings as confirmed at runtime) and read-only views for tests.
 */
export interface RuntimeUiApi {
  store: RecordingStore;
  heat: RuntimeHeat;
  /** 1-based lines currently painted with heat in the editor of `file` (absolute path). */
  paintedLines(file: string): number[];
  /** The note at the end of each heated line of `file` ("blocked 2.6 s in 17 stalls · …"). */
  paintedNotes(file: string): Record<number, string>;
  /** The stall tree's nodes (undefined = roots), as a screen reader would walk them. */
  stallTree: StallTreeProvider;
  /** The status bar text. */
  statusText(): string;
  /** The `loopLens.*` context key values last set (menus and `when` clauses read them). */
  contextKeys(): Readonly<Record<string, boolean>>;
  /** The "Loop Lens" log channel's file (its level follows VS Code's log level). */
  logFile: vscode.Uri;
}

/** Registers the runtime UI: commands, debug adapter, stall tree, decorations and status bar. */
export function registerRuntimeUi(context: vscode.ExtensionContext): RuntimeUiApi {
  const store = new RecordingStore();
  const heat = new RuntimeHeat(store);
  const sessions = new RecordingSessions(store);
  const decorations = new HeatDecorations(heat);
  const lenses = new HeatCodeLens(heat);
  const tree = new StallTreeProvider(store, heat);
  const status = new RecordingStatusBar(store);
  // The runtime's log: attach, agent, attribution, and at trace the CDP traffic.
  const log = new Logger('Loop Lens');
  const selector: vscode.DocumentSelector = [
    { scheme: 'file', language: 'javascript' },
    { scheme: 'file', language: 'typescript' },
    { scheme: 'file', language: 'javascriptreact' },
    { scheme: 'file', language: 'typescriptreact' },
  ];
  context.subscriptions.push(
    log,
    store,
    heat,
    sessions,
    decorations,
    lenses,
    tree,
    status,
    vscode.languages.registerCodeLensProvider(selector, lenses),
    vscode.window.createTreeView('loopLens.stallTree', {
      treeDataProvider: tree,
      showCollapseAll: true,
    }),
  );
  registerDebugAdapter(context, recorderFactory, log);
  registerRuntimeCommands(context, { store, sessions, heat, listProcesses });
  registerStallsView(context, store);
  return {
    store,
    heat,
    paintedLines: (file) => decorations.paintedLines(file),
    paintedNotes: (file) => decorations.paintedNotes(file),
    stallTree: tree,
    statusText: () => status.text,
    contextKeys: () => sessions.contextKeys,
    // Where VS Code keeps an extension's LogOutputChannel: <logUri>/<channel name>.log.
    logFile: vscode.Uri.joinPath(context.logUri, 'Loop Lens.log'),
  };
}
