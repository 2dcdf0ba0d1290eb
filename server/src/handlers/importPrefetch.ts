/**
 * The imports of a document opened at start, summarised in the summary worker while the event
 * loop parses the document itself. On the bench machine a first start (no summary cache) spent
 * ~250 ms parsing a 3,000-line file and then ~200 ms summarising its 100 imports, one after the
 * other on the event loop; the worker takes the second part in parallel. The first level comes
 * from `ts.preProcessFile` (a scan of the import and require statements, no parse); the next
 * levels from the summaries the worker sends back, as `AnalysisService.loadDependencies` walks
 * them, whose loads then wait for these instead of reading the files again.
 */
import { availableParallelism, loadavg } from 'node:os';
import { ts } from 'ts-morph';
import { nextImports } from './importLevels';
import { mark } from '../trace';

/** As deep and as many files as the open file's import walk (`loadDependencies`). */
const DEPTH = 3;
const LIMIT = 400;

/** What the walk needs from the engine host. */
export interface PrefetchHost {
  resolve(from: string, spec: string): string | undefined;
  importsOf(file: string): string[];
  isLoaded(file: string): boolean;
  /**
   * Sends files to the worker with a slot each in `claims`; resolves once the worker's share
   * is loaded (false: no worker).
   */
  inWorker(files: string[], claims: SharedArrayBuffer): Promise<boolean>;
}

/** A file sent to the worker: its batch, and a way for the event loop to take it over. */
export interface Flight {
  batch: Promise<boolean>;
  /** True when the event loop got the file (it summarises it now); false: the worker has it. */
  claim(): boolean;
}

/** Relative module specifiers of a text (imports, re-exports, `require`, `import()`). */
export function importSpecifiers(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return [...new Set(info.importedFiles.map((f) => f.fileName))].filter((s) => s.startsWith('.'));
}

/**
 * Files sent to the worker for a walk. The worker summarises a batch from its last file, and
 * the event loop, once it is done with the opened file, takes files from the first one (see
 * `EngineHost.loadFromDisk`): neither side waits while the other still has files to do.
 */
export class ImportPrefetch {
  private readonly pending = new Map<string, Flight>();

  constructor(private readonly host: PrefetchHost) {}

  /** The batch that loads `file`, if a walk sent it to the worker. */
  inFlight(file: string): Flight | undefined {
    return this.pending.get(file);
  }

  /**
   * Starts the walk from an opened file's text (returns at once; never rejects). Only with a
   * core to spare (`spare`, by default the load average below the core count): each thread warms
   * its own copy of the parser up, so on a saturated machine splitting the work added to it (bench
   * at load 11-13: the 10,000-file first start took 2.6 s with the walk, 1.5 s without).
   */
  start(file: string, text: string, spare = coreToSpare()): Promise<void> {
    if (!spare) {
      mark('prefetch-skipped');
      return Promise.resolve();
    }
    let first: string[];
    try {
      first = importSpecifiers(text)
        .map((spec) => this.host.resolve(file, spec))
        .filter((f): f is string => f !== undefined);
    } catch {
      return Promise.resolve();
    }
    return this.walk(file, first).catch(() => undefined);
  }

  private async walk(root: string, first: string[]): Promise<void> {
    const seen = new Set([root, ...first]);
    let level = first;
    for (let depth = 0; depth < DEPTH && level.length; depth++) {
      const todo = level.filter((f) => !this.host.isLoaded(f) && !this.pending.has(f));
      if (todo.length) {
        mark(`prefetch-${depth}-sent`);
        const claims = new SharedArrayBuffer(4 * todo.length);
        const slots = new Int32Array(claims);
        const batch = this.host.inWorker(todo, claims);
        todo.forEach((f, i) => {
          const claim = () => Atomics.compareExchange(slots, i, 0, 2) === 0;
          this.pending.set(f, { batch, claim });
        });
        const ok = await batch.finally(() => todo.forEach((f) => this.pending.delete(f)));
        mark(`prefetch-${depth}-in`);
        if (!ok) return;
      }
      if (seen.size >= LIMIT) return;
      level = nextImports(level, (f) => this.host.importsOf(f), seen);
    }
  }
}

/**
 * Whether the machine has a core that nothing else uses (1-minute load average);
 * `LOOP_LENS_IMPORT_WALK=on|off` decides instead (tests of the walk on a busy machine).
 */
export function coreToSpare(env = process.env.LOOP_LENS_IMPORT_WALK): boolean {
  if (env === 'on' || env === 'off') return env === 'on';
  return loadavg()[0] <= availableParallelism() - 1;
}
