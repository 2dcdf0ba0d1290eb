import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { ConfigKey, configSection } from '../shared/configKeys';
import { readConfig } from './config';
import { ConfirmedFindings } from './confirmedFindings';
import type { RuntimeHeat } from './lineHeat';
import { Logger, TraceChannel } from './log';

/** Languages the server analyses (the `onLanguage:` activation events of package.json). */
export const documentSelector = [
  'javascript',
  'typescript',
  'javascriptreact',
  'typescriptreact',
].map((language) => ({ scheme: 'file', language }));

/** Restarts allowed within {@link restartWindowMs} before the client gives up. */
export const maxRestarts = 4;
const restartWindowMs = 3 * 60_000;
const tag = 'lsp.client';

/**
 * Decides what happens when the server connection fails (after vscode-eslint): restart a crashed
 * server up to {@link maxRestarts} times in 3 minutes, and tell the user once, with a button that
 * opens the log, instead of the client's default modal-ish messages on every crash.
 */
export class RestartingErrorHandler implements ErrorHandler {
  private readonly crashes: number[] = [];
  private told = false;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  error(error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    this.log.error(tag, error, `(message error #${count ?? 1})`);
    // Three broken messages in a row mean the stream is corrupt: end it and let closed() decide.
    return {
      action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      handled: true,
    };
  }

  closed(): CloseHandlerResult {
    const t = this.now();
    this.crashes.push(t);
    while (this.crashes.length && this.crashes[0] < t - restartWindowMs) this.crashes.shift();
    const restart = this.crashes.length <= maxRestarts;
    this.log.warn(
      tag,
      `server connection closed (${this.crashes.length} in 3 min); ${restart ? 'restarting' : 'giving up'}`,
    );
    this.tellUser(
      restart
        ? 'Loop Lens: the language server stopped unexpectedly and was restarted.'
        : `Loop Lens: the language server stopped ${this.crashes.length} times in 3 minutes and will not be restarted.`,
    );
    return { action: restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
  }

  /** One notification per session, whatever happens next; the rest goes to the log only. */
  private tellUser(message: string): void {
    if (this.told) return;
    this.told = true;
    const openLog = 'Open Log';
    void vscode.window.showWarningMessage(message, openLog).then((choice) => {
      if (choice === openLog) this.log.show();
    });
  }
}

/** Client options: file-scheme JS/TS documents, quiet output channels, our error handler. */
function clientOptions(
  log: Logger,
  trace: TraceChannel,
  errorHandler: ErrorHandler,
  confirmed: ConfirmedFindings,
): LanguageClientOptions {
  return {
    documentSelector,
    middleware: { handleDiagnostics: confirmed.handleDiagnostics },
    diagnosticCollectionName: 'loop-lens',
    outputChannel: log.channel,
    traceOutputChannel: trace,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler,
    synchronize: {
      // The server pulls settings per resource; this makes the client notify it on changes.
      configurationSection: configSection,
      // Sources (edits outside the editor change cross-file findings) and the config files.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}'),
        vscode.workspace.createFileSystemWatcher(
          '**/{.looplensrc.json,package.json,tsconfig.json,jsconfig.json}',
        ),
      ],
    },
  };
}

/**
 * Starts the Loop Lens language server (`dist/server.js`, Node IPC) and keeps it for the
 * extension's lifetime. A missing or failing server is logged, never thrown: the rest of the
 * extension (runtime features) still activates. Findings on lines the runtime `heat` blamed are
 * marked confirmed (src/ui/confirmedFindings.ts).
 */
export async function registerLanguageClient(
  context: vscode.ExtensionContext,
  heat: RuntimeHeat,
): Promise<void> {
  const log = new Logger('Loop Lens Language Server');
  const trace = new TraceChannel('Loop Lens Trace', () => readConfig(ConfigKey.TraceServer));
  context.subscriptions.push(log, trace);
  const module = context.asAbsolutePath('dist/server.js');
  if (!existsSync(module)) {
    log.error(tag, `server bundle not found: ${module} (run \`npm run build\`)`);
    return;
  }
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };
  const errorHandler = new RestartingErrorHandler(log);
  const confirmed = new ConfirmedFindings(heat);
  // The id `loopLens` makes the client read `loopLens.trace.server` (messages/verbose).
  const client = new LanguageClient(
    'loopLens',
    'Loop Lens',
    serverOptions,
    clientOptions(log, trace, errorHandler, confirmed),
  );
  confirmed.attach(client);
  context.subscriptions.push({ dispose: () => void client.stop() }, confirmed);
  try {
    await client.start();
    log.info(tag, `server started (${module})`);
  } catch (err) {
    log.error(tag, err instanceof Error ? err : String(err));
    void vscode.window
      .showWarningMessage('Loop Lens: the language server did not start.', 'Open Log')
      .then((c) => {
        if (c) log.show();
      });
  }
}
