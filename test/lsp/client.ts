/**
 * A minimal LSP client for the tests: starts the BUILT server (`dist/server.js --stdio`) as a
 * child process and speaks real JSON-RPC to it. It answers `workspace/configuration` from a
 * settings table the test controls, records progress and diagnostics, and waits on events.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { after, before } from 'node:test';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { within } from '../../src/common/within';
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';

const root = join(__dirname, '..', '..');
export const serverPath = join(root, 'dist', 'server.js');

/** Generous: the machine is shared by several engineers running builds. */
export const TIMEOUT = 60_000;

/** A temp folder with files; `uri(rel)` and `path(rel)` name them. */
export class Fixture {
  readonly dir: string;
  constructor(files: Record<string, string>) {
    this.dir = mkdtempSync(join(tmpdir(), 'loop-lens-lsp-'));
    for (const [rel, text] of Object.entries(files)) this.write(rel, text);
  }
  path(rel: string): string {
    return join(this.dir, rel);
  }
  uri(rel = ''): string {
    return pathToFileURL(join(this.dir, rel)).toString().replace(/\/$/, '');
  }
  write(rel: string, text: string): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    writeFileSync(this.path(rel), text);
  }
  remove(rel: string): void {
    rmSync(this.path(rel), { force: true });
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The workspace and server of one `describe` block; read them inside tests and hooks only. */
export interface ServerContext {
  fx: Fixture;
  lsp: LspClient;
}

/**
 * Registers, for the enclosing `describe` block, a fixture workspace with `files` and the built
 * server initialized on it (before its tests), and their teardown (after them). Hooks the block
 * registers later run after this setup.
 */
export function serverOnFixture(files: Record<string, string> = {}): ServerContext {
  const ctx = {} as ServerContext;
  before(async () => {
    ctx.fx = new Fixture(files);
    ctx.lsp = new LspClient();
    await ctx.lsp.initialize([ctx.fx.uri()]);
  });
  after(async () => {
    await ctx.lsp?.dispose();
    ctx.fx?.dispose();
  });
  return ctx;
}

/** A progress notification as received (`$/progress`). */
export interface ProgressEvent {
  token: string | number;
  value: {
    kind: 'begin' | 'report' | 'end';
    title?: string;
    message?: string;
    percentage?: number;
  };
}

export class LspClient {
  readonly conn: ProtocolConnection;
  readonly child: ChildProcess;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every `publishDiagnostics` received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly progress: ProgressEvent[] = [];
  readonly progressTokens: (string | number)[] = [];
  /** `loopLens` / `files` settings answered to `workspace/configuration`, per section. */
  settings: { loopLens: Record<string, unknown>; files: Record<string, unknown> } = {
    loopLens: {},
    files: {},
  };
  stderr = '';
  /** Messages the server logged as errors (window/logMessage type 1): its caught exceptions. */
  readonly errorLogs: string[] = [];
  /** Every message the server logged (window/logMessage), in order. */
  readonly logs: string[] = [];
  private readonly events = new EventEmitter();
  private versions = new Map<string, number>();

  /** Starts the server over stdio (as the tests do) or over Node IPC (as VS Code does). */
  constructor(transport: 'stdio' | 'ipc' = 'stdio', env: Record<string, string> = {}) {
    const options = { env: { ...process.env, ...env } };
    if (transport === 'ipc') {
      this.child = fork(serverPath, ['--node-ipc'], {
        ...options,
        stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
      });
      this.conn = createProtocolConnection(
        new IPCMessageReader(this.child),
        new IPCMessageWriter(this.child),
      );
    } else {
      this.child = spawn(process.execPath, [serverPath, '--stdio'], { ...options, stdio: 'pipe' });
      this.conn = createProtocolConnection(
        new StreamMessageReader(this.child.stdout!),
        new StreamMessageWriter(this.child.stdin!),
      );
    }
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.events.setMaxListeners(100);
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.published.push(p);
      this.events.emit('diagnostics', p);
    });
    this.conn.onNotification('$/progress', (p: ProgressEvent) => {
      this.progress.push(p);
      this.events.emit('progress', p);
    });
    this.conn.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      if (p.type === 1) this.errorLogs.push(p.message);
      this.logs.push(p.message);
      this.events.emit('log', p);
    });
    this.conn.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      this.progressTokens.push(p.token);
      return null;
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'files' ? this.settings.files : this.settings.loopLens)),
    );
    this.conn.listen();
  }

  /** `initialize` + `initialized` with the given folders (file URIs). */
  async initialize(folders: string[], initializationOptions: object = {}): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders[0] ?? null,
      workspaceFolders: folders.map((uri, i) => ({ uri, name: `folder${i}` })),
      initializationOptions,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { isPreferredSupport: true },
        },
      },
    });
    await this.conn.sendNotification('initialized', {});
  }

  async open(uri: string, text: string, languageId = 'typescript'): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** A full-text change (as VS Code sends for a replace-all); resolves to its version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /** An incremental change (as VS Code sends while typing): `text` replaces `range`. */
  async edit(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Replaces the settings and tells the server, as VS Code does on a settings edit. */
  async configure(
    loopLens: Record<string, unknown>,
    files: Record<string, unknown> = {},
  ): Promise<void> {
    this.settings = { loopLens, files };
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  /** Tells the server about files changed on disk (1 created, 2 changed, 3 deleted). */
  async filesChanged(changes: { uri: string; type: 1 | 2 | 3 }[]): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line, character },
    });
  }

  codeActions(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    return this.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
  }

  /** Calls `listener` on every publishDiagnostics. */
  onDiagnostics(listener: (p: PublishDiagnosticsParams) => void): void {
    this.events.on('diagnostics', listener);
  }

  /** Waits until the latest diagnostics of `uri` satisfy `ok` (checks the current ones first). */
  waitForDiagnostics(
    uri: string,
    ok: (d: Diagnostic[]) => boolean,
    what = 'diagnostics',
  ): Promise<Diagnostic[]> {
    return this.waitFor(
      'diagnostics',
      () => {
        const d = this.diagnostics.get(uri);
        return d && ok(d) ? d : undefined;
      },
      `${what} for ${uri}; last: ${JSON.stringify(this.diagnostics.get(uri)?.map((x) => x.message))}`,
    );
  }

  /** Waits until `count` scans have ended (`$/progress` end notifications). */
  waitForProgressEnd(count = 1): Promise<ProgressEvent> {
    return this.waitFor(
      'progress',
      () => this.progress.filter((p) => p.value.kind === 'end')[count - 1],
      `progress end #${count}`,
    );
  }

  /** Waits until the server logged a message matching `re`; resolves to the match. */
  waitForLog(re: RegExp): Promise<RegExpExecArray> {
    return this.waitFor(
      'log',
      () => this.logs.map((m) => re.exec(m)).find((m) => m !== null) ?? undefined,
      `a log message matching ${re}`,
    );
  }

  private waitFor<T>(event: string, check: () => T | undefined, what: string): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off(event, listener);
        reject(
          new Error(`timed out waiting for ${what}\nserver stderr: ${this.stderr.slice(-2000)}`),
        );
      }, TIMEOUT);
      const listener = (): void => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        this.events.off(event, listener);
        resolve(v);
      };
      this.events.on(event, listener);
    });
  }

  /** `shutdown` + `exit`; kills the process if it lingers. */
  async dispose(): Promise<void> {
    const exited = new Promise<void>((r) => {
      if (this.child.exitCode !== null) r();
      else this.child.once('exit', () => r());
    });
    try {
      await within(this.conn.sendRequest('shutdown'), 5000);
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.conn.dispose();
  }
}

/** Applies LSP text edits (non-overlapping, against the original text). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }): number =>
    (starts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  }
  return out;
}

/** The rules of a diagnostics list, for compact assertions. */
export function codes(d: Diagnostic[]): string[] {
  return d.map((x) => String(x.code));
}
