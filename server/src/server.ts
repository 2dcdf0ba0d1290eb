/**
 * Loop Lens language server: createConnection (stdio, IPC or socket, from the command line) and
 * the wiring of the handlers in `handlers/`. Nothing else lives here.
 */
import { join } from 'node:path';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configSection } from '../../src/shared/configKeys';
import { AnalysisService } from './handlers/analysisService';
import { cacheRootFrom } from './handlers/engineCache';
import { codeActionsFor } from './handlers/codeActions';
import { RuleDocs } from './handlers/diagnostics';
import { Folders, uriToPath } from './handlers/folders';
import { hoverFor } from './handlers/hover';
import { offloadAction } from './handlers/offloadAction';
import { offloadNote } from './handlers/offloadNote';
import { DiagnosticsPublisher } from './handlers/publisher';
import { rescanIfScopeChanged, ScanState, startScan } from './handlers/scan';
import { onWatchedFilesChanged, WATCHED_GLOBS } from './handlers/watchedFiles';
import { SettingsCache } from './settings';
import { mark } from './trace';
import type { Finding } from './analysis/types';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const scanState = new ScanState();
let service: AnalysisService | undefined;
let dynamicConfig = false;
let dynamicWatch = false;
let folderEvents = false;
/** The client applies WorkspaceEdits that create files (needed by "Run in a worker thread"). */
let createFiles = false;
const justOpened = new Set<string>();

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  dynamicConfig = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  dynamicWatch = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  folderEvents = !!caps.workspace?.workspaceFolders;
  const we = caps.workspace?.workspaceEdit;
  createFiles = !!we?.documentChanges && !!we.resourceOperations?.includes('create');
  const folders = new Folders(
    params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []),
  );
  const settings = new SettingsCache(
    caps.workspace?.configuration
      ? (scopeUri) =>
          connection.workspace.getConfiguration([
            { scopeUri, section: configSection },
            { scopeUri, section: 'files' },
          ]) as Promise<[unknown, unknown]>
      : undefined,
  );
  service = new AnalysisService({
    connection,
    documents,
    folders,
    settings,
    publisher: new DiagnosticsPublisher(connection),
    // The bundle is dist/server.js; rule pages ship in docs/rules next to dist/.
    docs: new RuleDocs(join(__dirname, '..')),
    cacheRoot: cacheRootFrom(params.initializationOptions),
  });
  // The scan's thread loads its bundle while the first document is analysed.
  service.host.warmUp();
  mark('initialize');

  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'loop-lens', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (dynamicConfig) {
    void connection.client.register(DidChangeConfigurationNotification.type, {
      section: [configSection, 'files'],
    });
  }
  if (dynamicWatch) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
    });
  }
  if (folderEvents) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const s = svc();
      for (const f of e.removed) s.ctx.folders.remove(f.uri);
      for (const f of e.added) s.ctx.folders.add(f);
      void s.republishAll().catch((err) => s.logError('folders changed', err));
      void startScan(s, scanState);
    });
  }
  void startScan(svc(), scanState);
});

/** The analysis service (created in onInitialize). */
function svc(): AnalysisService {
  if (!service) throw new Error('Loop Lens server used before initialize');
  return service;
}

documents.onDidOpen((e) => {
  justOpened.add(e.document.uri);
  svc().opened(e.document.uri);
});
documents.onDidChangeContent((e) => {
  // TextDocuments fires a change right after each open: the open already scheduled the analysis.
  if (justOpened.delete(e.document.uri)) return;
  svc().changed(e.document.uri);
});
documents.onDidClose((e) => {
  const s = svc();
  justOpened.delete(e.document.uri);
  s.ctx.settings.clear(e.document.uri);
  void s.closed(e.document.uri).catch((err) => s.logError(`close ${e.document.uri}`, err));
});

connection.onDidChangeConfiguration(() => {
  const s = svc();
  s.ctx.settings.clear();
  void s.republishAll().catch((err) => s.logError('apply settings', err));
  // A switch from "openFiles" to "all", or new ignore globs, change which files are scanned.
  void rescanIfScopeChanged(s, scanState).catch((err) => s.logError('rescan', err));
});

connection.onDidChangeWatchedFiles((e) => {
  const s = svc();
  void onWatchedFilesChanged(s, scanState, e.changes).catch((err) =>
    s.logError('watched files', err),
  );
});

connection.onHover((p) => {
  const s = svc();
  try {
    const file = uriToPath(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    if (!file) return null;
    const note = doc && createFiles ? offloadNote(doc.getText(), file) : undefined;
    return hoverFor(s.findingsOf(file), p.position, (r) => s.ctx.docs.href(r), note);
  } catch (err) {
    s.logError('hover', err);
    return null;
  }
});

connection.onCodeAction(async (p) => {
  const s = svc();
  try {
    const doc = documents.get(p.textDocument.uri);
    const file = uriToPath(p.textDocument.uri);
    if (!doc || !file) return [];
    const { library } = (await s.ctx.settings.get(doc.uri)).offload;
    const offload = createFiles
      ? (f: Finding, d?: Diagnostic) => offloadAction(doc, file, f, d, library, documents)
      : undefined;
    return codeActionsFor(doc, file, p, s.findingsOf(file), offload);
  } catch (err) {
    s.logError('code actions', err);
    return [];
  }
});

connection.onShutdown(async () => {
  scanState.generation++;
  // The worker writes its summaries to the cache after its answers: those go to disk first.
  await service?.host.close();
  service?.dispose();
});

// Last line of defence: a bug in one analysis is logged, and the server keeps serving.
process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err}`));
process.on('unhandledRejection', (err) =>
  connection.console.error(`unhandled rejection: ${String(err)}`),
);

documents.listen(connection);
connection.listen();
