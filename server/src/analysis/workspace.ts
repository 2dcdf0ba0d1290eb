/**
 * StaticWorkspace: the incremental engine. Files on disk plus open buffers that override them;
 * each file's summary is cached by content and config, so an edit re-parses one file and the
 * cheap cross-file phase (Linker) recomputes findings from summaries.
 */
import * as path from 'node:path';
import { Dependencies, type DependencyStats } from './deps/dependencies';
import { LinkedSummaries } from './deps/linked';
import { checkText, ignoreMatcher, isSourceFile, listSourceFiles, readSource } from './files';
import { Linker } from './linker';
import { summarizeEntry, type FileEntry } from './fileEntry';
import { TypeResolver } from './typeCheck';
import type { FileSummary } from './summaryTypes';
import type { ts } from 'ts-morph';
import type { FileNote, Finding, LoopLensConfig } from './types';

export interface StaticWorkspaceOptions {
  roots: string[];
  config?: LoopLensConfig | ((file: string) => LoopLensConfig | undefined);
  /**
   * Ask the TypeScript checker about `*Sync` calls on objects syntax cannot resolve, in TS files
   * (default true; costs nothing for files without such calls).
   */
  useTypeChecker?: boolean;
  /**
   * Keep package summaries in `node_modules/.cache/loop-lens` across runs (default true). Whether
   * calls are followed into packages at all is the config's `followDependencies`.
   */
  dependencyCache?: boolean;
}

type Entry = FileEntry;

export class StaticWorkspace {
  private readonly roots: string[];
  private readonly configOf: (file: string) => LoopLensConfig | undefined;
  private files: Set<string> | undefined;
  private sorted: string[] | undefined;
  private readonly listNotes: FileNote[] = [];
  private readonly overlays = new Map<string, string>();
  /** Files whose summaries came from elsewhere (`addSummarized`). */
  private readonly given = new Set<string>();
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<string>();
  private linker: Linker | undefined;
  /** The summaries the linker sees; kept up to date in place while the set of files stays. */
  private linked: LinkedSummaries | undefined;
  /** Parse trees of open buffers, so the next edit re-parses only what it changed. */
  private readonly trees = new Map<string, ts.SourceFile>();
  private readonly useTypeChecker: boolean;
  private types: TypeResolver | undefined;
  private deps: Dependencies;
  /** Files whose findings could not be linked in the last analysis (engine errors), as notes. */
  private readonly linkNotes = new Map<string, FileNote>();
  private readonly dependencyCache: boolean;

  constructor(opts: StaticWorkspaceOptions) {
    this.roots = opts.roots.map((r) => path.resolve(r));
    const c = opts.config;
    this.configOf = typeof c === 'function' ? c : () => c;
    this.useTypeChecker = opts.useTypeChecker !== false;
    this.dependencyCache = opts.dependencyCache !== false;
    this.deps = this.newDependencies();
  }

  private newDependencies(): Dependencies {
    const extraOf = (file: string) => this.configOf(file)?.blocking;
    return new Dependencies({ cache: this.dependencyCache, extraOf });
  }

  /** JS/TS files under the roots (node_modules, .git and config `ignore` globs left out). */
  listFiles(): string[] {
    this.sorted ??= [...this.fileSet()].sort();
    return this.sorted;
  }

  /** The files (a set: buffers join it one by one, thousands of them during a scan). */
  private fileSet(): Set<string> {
    if (!this.files) {
      this.listNotes.length = 0;
      const ignored = (file: string) => {
        const cfg = this.configOf(file);
        const base = this.roots.find((r) => file.startsWith(r)) ?? path.dirname(file);
        return ignoreMatcher(base, cfg?.ignore)(file);
      };
      this.files = new Set(listSourceFiles(this.roots, ignored, this.listNotes));
      for (const f of this.overlays.keys()) this.files.add(f);
      for (const f of this.given) this.files.add(f);
      this.sorted = undefined;
    }
    return this.files;
  }

  /** Re-reads the folder listing and every file from disk (after changes outside the editor). */
  refresh(): void {
    this.files = undefined;
    for (const f of this.entries.keys()) this.dirty.add(f);
    this.deps = this.newDependencies(); // a reinstall: valid cache entries are reused
    this.linker = undefined;
  }

  /** An open or changed buffer: its text overrides the disk. */
  setFileText(file: string, text: string): void {
    const abs = path.resolve(file);
    if (this.overlays.get(abs) === text && this.entries.has(abs)) return;
    this.overlays.set(abs, text);
    this.dirty.add(abs);
    if (this.files && !this.files.has(abs) && isSourceFile(abs)) {
      this.files.add(abs);
      this.sorted = undefined;
    }
  }

  /**
   * A buffer whose summary is already known (the summary cache had it for this very text): no
   * parse now; the tree for incremental edits comes from {@link warmTree} or the next edit.
   */
  setSummarizedText(file: string, text: string, entry: Entry): void {
    const abs = path.resolve(file);
    this.overlays.set(abs, text);
    this.addEntry(abs, entry);
  }

  /**
   * Summarises again a buffer that has no tree yet (its summary came from elsewhere) and keeps
   * the tree, so its next edit parses incrementally; this also compiles the summariser's code,
   * which an edit would otherwise wait for when every summary came from a cache or a worker.
   */
  warmTree(file: string): void {
    const abs = path.resolve(file);
    if (!this.overlays.has(abs) || this.trees.has(abs)) return;
    this.dirty.add(abs);
    this.update(this.fileSet());
  }

  /** The buffer is closed: back to the disk contents. */
  closeFile(file: string): void {
    const abs = path.resolve(file);
    this.overlays.delete(abs);
    this.trees.delete(abs);
    this.dirty.add(abs);
  }

  /** The file is gone. */
  removeFile(file: string): void {
    const abs = path.resolve(file);
    this.overlays.delete(abs);
    this.trees.delete(abs);
    this.given.delete(abs);
    this.entries.delete(abs);
    this.dirty.delete(abs);
    if (this.files?.delete(abs)) this.sorted = undefined;
    this.linker = undefined;
  }

  /**
   * Findings per file for all files (or the given ones). Re-parses only files that changed;
   * findings of other files that depend on them through the call graph follow automatically.
   */
  analyze(
    files?: string[],
    onProgress?: (done: number, total: number) => void,
  ): Map<string, Finding[]> {
    this.update(this.fileSet(), onProgress);
    const linker = (this.linker ??= this.newLinker());
    const out = new Map<string, Finding[]>();
    for (const f of files ? files.map((x) => path.resolve(x)) : this.listFiles()) {
      const e = this.entries.get(f);
      out.set(f, e?.summary ? this.findingsOf(linker, f) : []);
    }
    this.deps.flush();
    return out;
  }

  /** How much of the installed dependencies the analyses so far followed calls into. */
  dependencyStats(): DependencyStats {
    return this.deps.stats();
  }

  private newLinker(): Linker {
    this.linked = new LinkedSummaries(this.summaries(), this.deps);
    return new Linker(this.linked, this.configOf, this.deps);
  }

  /** One file's findings; an engine error there is a note, and the other files go on. */
  private findingsOf(linker: Linker, file: string): Finding[] {
    this.linkNotes.delete(file);
    try {
      return linker.findings(file);
    } catch (e) {
      const reason = `internal error while linking: ${e instanceof Error ? e.message : String(e)}`;
      this.linkNotes.set(file, { file, kind: 'error', reason });
      return [];
    }
  }

  /** Files the engine could not fully analyse (partial, skipped, unreadable). */
  notes(): FileNote[] {
    const out = [...this.listNotes, ...this.linkNotes.values(), ...this.deps.notes()];
    if (this.linker) out.push(...this.linker.errors);
    for (const e of this.entries.values()) {
      if (e.note) out.push(e.note);
      if (e.summary) out.push(...e.summary.notes);
    }
    return out;
  }

  /** The cached summary of a file (after `analyze`), for hosts that want more detail. */
  summaryOf(file: string): FileSummary | undefined {
    return this.entries.get(path.resolve(file))?.summary;
  }

  /**
   * Summarises the files that changed or are new, without linking (a workspace scan loads its
   * files this way and links once they are all in).
   */
  prepare(): void {
    this.update(this.fileSet());
  }

  private update(all: Set<string>, onProgress?: (done: number, total: number) => void): void {
    // New and changed files. A config whose `blocking` list changed needs `refresh()`.
    const todo: string[] = [];
    for (const f of all) if (this.dirty.has(f) || !this.entries.has(f)) todo.push(f);
    let done = 0;
    let sameFiles = true;
    for (const f of todo) {
      const had = this.entries.get(f)?.summary !== undefined;
      const entry = this.load(f);
      this.entries.set(f, entry);
      this.dirty.delete(f);
      if (had !== (entry.summary !== undefined)) sameFiles = false;
      else if (entry.summary) this.linked?.set(f, entry.summary);
      onProgress?.(++done, todo.length);
    }
    if (!todo.length) return;
    // Same files, new contents (an edit): re-link only what can depend on them. A file that
    // appeared or went away can change how any import resolves: link everything anew.
    if (sameFiles && this.linker) this.linker.update(todo);
    else this.linker = undefined;
  }

  private load(file: string): Entry {
    const overlay = this.overlays.get(file);
    const src = overlay !== undefined ? checkText(file, overlay) : readSource(file);
    const previous = this.trees.get(file);
    this.trees.delete(file); // an incremental parse reuses (and spoils) the old tree
    // The tree is kept for a buffer that changes again (an edited document), not for every
    // file a scan reads: memory stays bounded by what is being edited.
    const edited = overlay !== undefined && this.entries.has(file);
    return summarizeEntry(file, src, {
      extra: this.configOf(file)?.blocking,
      previous,
      keepTree: edited ? (sf) => this.trees.set(file, sf) : undefined,
      types: this.useTypeChecker ? () => (this.types ??= new TypeResolver()) : undefined,
    });
  }

  /**
   * The entry of a file's disk text summarised elsewhere (a worker thread during a scan). An
   * open buffer of the file wins over it.
   */
  addSummarized(file: string, entry: Entry): void {
    const abs = path.resolve(file);
    if (this.overlays.has(abs)) return;
    this.given.add(abs);
    this.addEntry(abs, entry);
  }

  private addEntry(abs: string, entry: Entry): void {
    const had = this.entries.get(abs)?.summary !== undefined;
    this.entries.set(abs, entry);
    this.dirty.delete(abs);
    if (this.files && !this.files.has(abs)) {
      this.files.add(abs);
      this.sorted = undefined;
    }
    if (had !== (entry.summary !== undefined)) this.linker = undefined;
    else if (entry.summary && this.linker) {
      this.linked?.set(abs, entry.summary);
      this.linker.update([abs]);
    }
  }

  private summaries(): Map<string, FileSummary> {
    const m = new Map<string, FileSummary>();
    for (const [f, e] of this.entries) if (e.summary) m.set(f, e.summary);
    return m;
  }
}
