/**
 * Keeps diagnostics in step with the editor: analyses a document on open and, through the
 * {@link EditQueue}, as soon as the server is idle after a change; re-analyses every file whose
 * findings the edit can change, and publishes only what changed, never for an outdated version
 * of an open document. Findings are kept per file for hover and code actions.
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../analysis/types';
import type { SettingsCache } from '../settings';
import { toDiagnostics, type RuleDocs } from './diagnostics';
import { connectionLogger } from '../log';
import { EditQueue } from './editQueue';
import { EngineHost } from './engineHost';
import { pathToUri, uriToPath, type Folders } from './folders';
import type { DiagnosticsPublisher } from './publisher';
import { isSourceFile } from '../analysis/files';
import { nextImports } from './importLevels';
import { Rehearsal } from './rehearsal';
import { inBatches } from './slices';
import { mark } from '../trace';

/** How far an open file's imports are loaded before the workspace scan reaches them. */
const DEP_DEPTH = 3;
const DEP_LIMIT = 400;

/** Everything the service needs from the server. */
export interface ServiceContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  folders: Folders;
  settings: SettingsCache;
  publisher: DiagnosticsPublisher;
  docs: RuleDocs;
  /** Root of the on-disk summary cache (none: every start parses every file). */
  cacheRoot?: string;
}

/** An edited file and the files it registered or started before the edit. */
interface Edited {
  file: string;
  before: ReadonlySet<string>;
}

export class AnalysisService {
  host: EngineHost;
  private readonly findings = new Map<string, Finding[]>();
  /** Open file → the document version whose text the engine has. */
  private readonly versions = new Map<string, number>();
  private readonly edits = new EditQueue((uris) =>
    this.guard(`analyse ${uris.join(', ')}`, () => this.analyzeDocuments(uris)),
  );
  /** Imports of opened documents being loaded (the scan lets these go first). */
  dependencies: Promise<void> = Promise.resolve();
  /** The edit path rehearsed on the open documents while the scan's worker works. */
  readonly rehearsal = new Rehearsal(() => this.openSources());

  constructor(readonly ctx: ServiceContext) {
    this.host = this.newHost();
  }

  /** A fresh engine (at start, and after a config file changed). */
  newHost(): EngineHost {
    const log = connectionLogger(this.ctx.connection.console);
    (this.host as EngineHost | undefined)?.dispose();
    this.host = new EngineHost((f) => this.ctx.folders.owner(f), log, this.ctx.cacheRoot);
    this.findings.clear();
    return this.host;
  }

  /**
   * Starts over with a new engine (a config file changed): open documents are fed again and
   * every shown diagnostic is re-published from the new findings.
   */
  reset(): void {
    this.newHost();
    this.versions.clear();
    for (const doc of this.ctx.documents.all()) this.edits.changed(doc.uri);
    void this.republishAll().catch((e) => this.logError('reset', e));
  }

  /** The latest findings of a file (empty while it was never analysed). */
  findingsOf(file: string): readonly Finding[] {
    return this.findings.get(file) ?? [];
  }

  /** Files with findings, for re-publishing after a settings change. */
  filesWithFindings(): string[] {
    return [...this.findings.keys()];
  }

  /**
   * A document was edited: analyse it at the next idle moment (edits arriving meanwhile fold
   * into that one analysis), or after `loopLens.analysisDelayMs` when that is set.
   */
  changed(uri: string): void {
    this.edits.touched(uri);
    void this.ctx.settings
      .get(uri)
      .then((s) => this.edits.changed(uri, s.analysisDelayMs))
      .catch((e) => this.logError(`schedule ${uri}`, e));
  }

  /** A document was opened: analyse it now, then load its imports so cross-file chains appear. */
  opened(uri: string): void {
    // Ask for the settings first: the client answers while the analysis runs, so publishing
    // the first diagnostics does not wait for that round trip afterwards.
    void this.ctx.settings.get(uri).catch((e) => this.logError(`settings ${uri}`, e));
    this.edits.now(uri);
    const file = uriToPath(uri);
    if (!file) return;
    // One at a time: the workspace scan waits for these before its bulk phase.
    this.dependencies = this.dependencies
      .then(() => this.loadDependencies([file]))
      .catch((e) => this.logError('load imports', e));
  }

  /** A document was closed: its disk contents count again. */
  async closed(uri: string): Promise<void> {
    this.edits.cancel(uri);
    const file = uriToPath(uri);
    if (!file) return this.ctx.publisher.clear(uri);
    this.versions.delete(file);
    await this.host.loadFromDisk([file]);
    await this.reanalyze([{ file, before: this.host.depsOf(file) }]);
  }

  /**
   * Analyses the current texts of open documents and everything their edits can affect. All
   * texts go to the engine first, so no file is linked against another's outdated buffer.
   */
  private analyzeDocuments(uris: string[]): void {
    const edited: Edited[] = [];
    for (const uri of uris) {
      const doc = this.ctx.documents.get(uri);
      const file = uriToPath(uri);
      if (!doc || !file) continue;
      edited.push({ file, before: this.host.depsOf(file) });
      this.host.setText(file, doc.getText());
      this.versions.set(file, doc.version);
    }
    if (!edited.length) return;
    mark('analyse-document');
    void this.reanalyze(edited);
  }

  /** Re-analyses edited files and their dependents (imports as of `before` included); publishes. */
  reanalyze(edited: readonly Edited[]): Promise<void> {
    const affected = () => new Set(edited.flatMap((e) => this.host.affectedBy(e.file, e.before)));
    const result = this.host.analyze([...affected()]);
    // An edit may have added imports or registrations: those targets can change too.
    const more = [...affected()].filter((f) => !result.has(f));
    if (more.length) for (const [f, list] of this.host.analyze(more)) result.set(f, list);
    return this.store(result);
  }

  /**
   * Keeps findings and publishes each file of `result` (only changed ones go out); resolves
   * once they are sent. Never rejects (a failed publish is logged).
   */
  store(result: Map<string, Finding[]>): Promise<void> {
    const sent: Promise<void>[] = [];
    for (const [file, list] of result) {
      if (list.length) this.findings.set(file, list);
      else this.findings.delete(file);
      sent.push(this.publish(file).catch((e) => this.logError(`publish ${file}`, e)));
    }
    return Promise.all(sent).then(() => undefined);
  }

  /** Publishes one file's diagnostics under its settings (cleared when hidden by them). */
  async publish(file: string): Promise<void> {
    const { documents, folders, settings, publisher, docs } = this.ctx;
    const uri = this.uriOf(file);
    const doc = documents.get(uri);
    const folder = folders.owner(file);
    const s = await settings.get(doc ? uri : (folder?.uri ?? uri));
    const now = documents.get(uri);
    // An open document edited since the engine got its text: its queued analysis publishes.
    if (now && this.versions.get(file) !== now.version) return;
    const hidden =
      (!doc && s.analyzeWorkspace === 'openFiles') || folders.isIgnored(file, folder, s);
    const list = hidden ? [] : toDiagnostics(this.findings.get(file) ?? [], s, docs);
    if (publisher.publish(uri, list, now?.version)) mark('publish');
  }

  /** Re-publishes every file that has or had diagnostics, and every open document. */
  async republishAll(): Promise<void> {
    const files = new Set(this.filesWithFindings());
    for (const uri of this.ctx.publisher.uris()) {
      const f = uriToPath(uri);
      if (f) files.add(f);
    }
    for (const doc of this.ctx.documents.all()) {
      const f = uriToPath(doc.uri);
      if (f) files.add(f);
    }
    await Promise.all([...files].map((f) => this.publish(f)));
  }

  /**
   * Loads the relative imports of `roots` from disk (breadth first, a few levels), then
   * re-analyses the roots so their cross-file chains appear before the scan gets there.
   */
  async loadDependencies(roots: string[]): Promise<void> {
    mark('imports-load');
    const seen = new Set(roots);
    let level = roots;
    for (let depth = 0; depth < DEP_DEPTH && level.length && seen.size < DEP_LIMIT; depth++) {
      const next = nextImports(level, (f) => this.host.importsOf(f), seen);
      const missing = next.filter((f) => !this.host.isLoaded(f));
      if (missing.length === 0) break;
      await inBatches(
        missing,
        () => false,
        async (batch) => {
          // The scan's worker may have brought some in meanwhile.
          const todo = batch.filter((f) => !this.host.isLoaded(f));
          await this.host.loadFromDisk(todo, (f) => this.isOpen(f));
          this.host.prepare(todo);
        },
      );
      level = next;
    }
    mark('imports-loaded');
    const open = roots.filter((r) => this.isOpen(r));
    await Promise.all(open.map((r) => this.reanalyze([{ file: r, before: this.host.depsOf(r) }])));
    mark('imports-linked');
  }

  /**
   * Gives open buffers whose summary came from the cache their parse tree (and compiles the
   * summariser), so a first edit costs what the next ones do. Called when the scan is over:
   * done at start it held hovers during the scan for a few hundred ms (bench lsp). A document
   * with an edit waiting is left alone: its analysis parses it anyway, and it would wait for
   * this parse first.
   */
  warmTrees(): void {
    for (const doc of this.ctx.documents.all()) {
      const file = uriToPath(doc.uri);
      if (!file || this.edits.pending(doc.uri)) continue;
      this.guard(`parse ${doc.uri}`, () => this.host.warmTree(file));
    }
  }

  /** Open documents that the engine analyses: their files and texts. */
  private openSources(): { file: string; text: string }[] {
    const out: { file: string; text: string }[] = [];
    for (const doc of this.ctx.documents.all()) {
      const file = uriToPath(doc.uri);
      if (file && isSourceFile(file)) out.push({ file, text: doc.getText() });
    }
    return out;
  }

  /** Whether an editor has the file open (its buffer wins over the disk). */
  isOpen(file: string): boolean {
    return this.ctx.documents.get(this.uriOf(file)) !== undefined;
  }

  /** The URI the client uses for a file (the open document's spelling when there is one). */
  uriOf(file: string): string {
    const uri = pathToUri(file);
    if (this.ctx.documents.get(uri)) return uri;
    for (const d of this.ctx.documents.all()) if (uriToPath(d.uri) === file) return d.uri;
    return uri;
  }

  /** Runs `fn`, logging instead of throwing: one bad file never takes the server down. */
  guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.logError(what, e);
    }
  }

  logError(what: string, e: unknown): void {
    this.ctx.connection.console.error(
      `${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
  }

  dispose(): void {
    this.edits.dispose();
    this.host.dispose();
  }
}
