/**
 * The server's side of the static engine: one `StaticWorkspace` for the whole session fed file by
 * file (so a scan can yield to the event loop between files), the config file of each folder,
 * and a reverse import graph that tells which files an edit can change.
 */
import * as path from 'node:path';
import { loadConfig } from '../analysis/config';
import { ignoreMatcher, isSourceFile, listSourceFiles, readSource } from '../analysis/files';
import type { FileEntry } from '../analysis/fileEntry';
import type { Finding, LoopLensConfig } from '../analysis/types';
import { StaticWorkspace } from '../analysis';
import type { ILogger } from '../../../src/common/logger';
import type { Folder } from './folders';
import { SummaryWorkerClient } from './summaryWorkerClient';
import { EngineCache } from './engineCache';
import { ImportResolver } from './importResolver';
import { diskEntry } from '../analysis/summaryCache';
import { TypeResolver } from '../analysis/typeCheck';
import { ImportPrefetch } from './importPrefetch';
import { setEdges } from './importLevels';

export class EngineHost {
  private readonly engine: StaticWorkspace;
  private readonly configs = new Map<string, { config: LoopLensConfig; dir: string }>();
  private readonly loaded = new Set<string>();
  private readonly imports = new ImportResolver();
  private readonly deps = new Map<string, Set<string>>();
  private readonly rdeps = new Map<string, Set<string>>();
  /** Files whose findings depend on this file's content although it imports them. */
  private readonly forward = new Map<string, Set<string>>();
  /** Summarises what a scan reads off the event loop (the bundle sits beside the server's). */
  private readonly worker: SummaryWorkerClient;
  /** Summaries kept on disk across starts (none when `cacheRoot` is undefined). */
  readonly cache: EngineCache;
  private types: TypeResolver | undefined;
  /** An opened file's imports, summarised in the worker while the event loop parses the file. */
  private readonly prefetch = new ImportPrefetch({
    resolve: (from, spec) => this.imports.resolve(from, spec),
    importsOf: (file) => this.importsOf(file),
    isLoaded: (file) => this.loaded.has(file),
    inWorker: (files, claims) => this.loadInWorker(files, (f) => this.loaded.has(f), claims),
  });

  constructor(
    private readonly folderOf: (file: string) => Folder | undefined,
    private readonly log: ILogger,
    cacheRoot?: string,
  ) {
    this.engine = new StaticWorkspace({ roots: [], config: (file) => this.configFor(file) });
    this.worker = new SummaryWorkerClient(path.join(__dirname, 'summaryWorker.js'), log);
    this.cache = new EngineCache(cacheRoot, __dirname);
  }

  /** Starts the summary worker thread early (it loads while the open document is analysed). */
  warmUp = (): void => this.worker.warmUp();

  /**
   * Reads and summarises `files` in the worker thread (a scan's bulk; with `claims`, an import
   * walk's files, as they are); false when the worker cannot run, and the caller loads them on
   * the event loop. Files an import walk sent already are left to that request.
   */
  async loadInWorker(files: string[], skip: (f: string) => boolean, claims?: SharedArrayBuffer) {
    const todo = claims
      ? files
      : files.filter((f) => isSourceFile(f) && !skip(f) && !this.prefetch.inFlight(f));
    if (!todo.length) return true;
    const answer = await this.worker.request(
      todo.map((file) => ({ file, extra: this.configFor(file)?.blocking })),
      this.cache.where,
      { claims },
    );
    if (!answer) return false;
    const { entries } = answer;
    this.cache.fromWorker(answer.done ?? todo.length, answer.cached ?? 0, answer.bad ?? 0);
    todo.forEach((f, i) => {
      const entry = entries[i];
      // Opened (or already loaded) meanwhile: the buffer's text is the truth.
      if (entry && !skip(f) && !this.loaded.has(f)) this.addEntry(f, entry);
    });
    return true;
  }

  dispose = (): void => this.worker.dispose();
  /** As {@link dispose}, once the worker has written the summaries it kept (a shutdown). */
  close = (): Promise<void> => this.worker.close();

  /** The folder's config file (`.looplensrc.json` / package.json `loopLens`), cached. */
  configFor(file: string): LoopLensConfig | undefined {
    const folder = this.folderOf(file);
    return folder ? this.folderConfig(folder).config : undefined;
  }

  private folderConfig(folder: Folder): { config: LoopLensConfig; dir: string } {
    let c = this.configs.get(folder.path);
    if (!c) {
      try {
        const loaded = loadConfig({ from: folder.path });
        c = { config: loaded.config, dir: loaded.dir };
      } catch (e) {
        this.log.error(
          'lsp.config',
          `Loop Lens config of ${folder.path}: ${errText(e)} (using defaults)`,
        );
        c = { config: {}, dir: folder.path };
      }
      this.configs.set(folder.path, c);
    }
    return c;
  }

  /**
   * Source files of a folder, minus node_modules and the config file's `ignore` globs; listed in
   * the worker thread when it runs (a big tree held the event loop for ~100 ms).
   */
  async listFolder(folder: Folder): Promise<string[]> {
    const { config, dir } = this.folderConfig(folder);
    const list = { root: folder.path, dir, ignore: config.ignore };
    const answer = await this.worker.request([], undefined, { list });
    const files =
      answer?.listed ?? listSourceFiles([folder.path], ignoreMatcher(dir, config.ignore), []);
    for (const f of files) this.imports.know(f);
    return files;
  }

  /** True when the config file of the file's folder ignores it. */
  isConfigIgnored(file: string): boolean {
    const folder = this.folderOf(file);
    const c = folder && this.folderConfig(folder);
    return !!c && ignoreMatcher(c.dir, c.config.ignore)(file);
  }

  /** Whether the engine has the file's text (from disk or an editor). */
  isLoaded = (file: string): boolean => this.loaded.has(file);

  /**
   * Reads files from disk and hands them to the engine; `skip` keeps files an editor owns (their
   * buffer, not the disk, is the truth). Callers pass small batches (see `slices.ts`): a source
   * file reads in ~20 µs synchronously, while `fs.promises.readFile` measured 6–40× slower here
   * and spent that extra time on this same thread; huge, binary and unreadable files become
   * engine notes (`readSource`), never exceptions.
   */
  async loadFromDisk(
    files: string[],
    skip: (file: string) => boolean = () => false,
  ): Promise<void> {
    for (const f of files) {
      if (skip(f)) continue;
      const flight = this.prefetch.inFlight(f);
      // Sent to the worker for an opened file: done here only if the worker has not begun it.
      if (flight && !flight.claim() && (await flight.batch) && this.loaded.has(f)) continue;
      if (!this.loaded.has(f) && isSourceFile(f)) {
        // First load: the summary cache may have it; a summary made here is stored there.
        this.addEntry(f, diskEntry(f, this.cache.cache, this.entryOptions(f)));
        continue;
      }
      const src = readSource(f);
      if ('text' in src) this.setText(f, src.text);
      else if (src.note.kind === 'error') this.log.warn('lsp.files', `${f}: ${src.note.reason}`);
    }
    await Promise.resolve();
  }

  private entryOptions(file: string) {
    return {
      extra: this.configFor(file)?.blocking,
      types: () => (this.types ??= new TypeResolver()),
    };
  }

  /** An entry summarised elsewhere (worker, cache, a first disk read). */
  private addEntry(file: string, entry: FileEntry, buffer?: string): void {
    if (entry.note?.kind === 'error') this.log.warn('lsp.files', `${file}: ${entry.note.reason}`);
    if (!entry.summary) return;
    if (buffer === undefined) this.engine.addSummarized(file, entry);
    else this.engine.setSummarizedText(file, buffer, entry);
    this.loaded.add(file);
    this.imports.know(file);
    this.recordDeps(file);
  }

  /** Gives an opened buffer's tree to the engine, so its next edit parses incrementally. */
  warmTree(file: string): void {
    this.engine.warmTree(file);
  }

  /** An editor buffer or a fresh disk read of one file. */
  setText(file: string, text: string): void {
    if (!isSourceFile(file)) return;
    if (this.loaded.has(file)) this.cache.forget(file);
    else {
      // Opened: the summary cache may have this very text (a reload, a new window).
      const hit = this.cache.bufferEntry(file, text, this.configFor(file)?.blocking);
      if (hit?.summary) return this.addEntry(file, hit, text);
      // Parsed now on the event loop: meanwhile the worker takes its imports.
      void this.prefetch.start(file, text);
    }
    this.engine.setFileText(file, text);
    this.loaded.add(file);
    this.imports.know(file);
  }

  /** The file is gone from disk. */
  remove(file: string): void {
    this.engine.removeFile(file);
    this.loaded.delete(file);
    this.imports.forget(file);
    this.forward.delete(file);
    this.setDeps(file, new Set());
  }

  /**
   * Findings of `files` after re-parsing what changed. Records each analysed file's imports so
   * {@link affectedBy} knows the dependents. Never throws: an engine error is logged and yields
   * no findings.
   */
  analyze(files: string[]): Map<string, Finding[]> {
    try {
      const out = this.engine.analyze(files.filter((f) => this.loaded.has(f)));
      for (const f of files) this.recordDeps(f);
      this.cache.stored(
        (f) => this.engine.summaryOf(f),
        (f) => this.configFor(f)?.blocking,
      );
      return out;
    } catch (e) {
      this.log.error('lsp.analysis', 'analysis failed:', e);
      return new Map();
    }
  }

  /**
   * Summarises newly loaded files without linking them (a scan, or an open file's imports,
   * links once the batch of work is in) and records their imports.
   */
  prepare(files: string[]): void {
    try {
      this.engine.prepare();
      for (const f of files) this.recordDeps(f);
    } catch (e) {
      this.log.error('lsp.analysis', 'analysis failed:', e);
    }
  }

  /**
   * Files whose findings an edit of `file` can change: the file, every file importing it
   * (transitively), and files it registers as callbacks or starts as workers, before and after.
   */
  affectedBy(file: string, before: ReadonlySet<string>): string[] {
    const out = new Set<string>([file, ...before, ...(this.forward.get(file) ?? [])]);
    const stack = [file];
    while (stack.length) {
      for (const r of this.rdeps.get(stack.pop()!) ?? []) {
        if (!out.has(r)) {
          out.add(r);
          stack.push(r);
        }
      }
    }
    return [...out].filter((f) => this.loaded.has(f));
  }

  /** Files `file` registers as callbacks or starts as workers: their findings follow it. */
  depsOf(file: string): ReadonlySet<string> {
    return new Set(this.forward.get(file) ?? []);
  }

  /** Relative imports of a loaded file, resolved to files (for loading them early). */
  importsOf(file: string): string[] {
    const s = this.engine.summaryOf(file);
    if (!s) return [];
    return [...new Set([...s.imports, ...s.stars])].flatMap(
      (spec) => this.imports.resolve(file, spec) ?? [],
    );
  }

  private recordDeps(file: string): void {
    const s = this.engine.summaryOf(file);
    if (!s) return;
    const specs = new Set([
      ...s.imports,
      ...s.stars,
      ...s.workerSpecs,
      ...s.registrations.map((r) => r.spec),
    ]);
    const next = new Set<string>();
    for (const spec of specs) {
      const target = this.imports.resolve(file, spec);
      if (target) next.add(target);
    }
    this.setDeps(file, next);
  }

  private setDeps(file: string, next: Set<string>): void {
    setEdges(this.deps, this.rdeps, file, next);
  }
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
