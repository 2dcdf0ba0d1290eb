/**
 * The background workspace scan: after the documents opened at start (and their imports), lists
 * every folder's files and summarises them in small time-boxed batches with a yield to the event
 * loop after each (so hover, code actions and edits answer while it runs), reporting work-done
 * progress; then links them, again in batches, and publishes each batch's diagnostics.
 */
import type { AnalysisService } from './analysisService';
import { inBatches, yieldToLoop } from './slices';

/** Files per request to the summary worker: small enough to take in without a pause. */
const WORKER_CHUNK = 32;

/** Cancels a running scan when a newer one starts. */
export class ScanState {
  generation = 0;
  running: Promise<void> = Promise.resolve();
  /** The settings that decided the last scan's file set. */
  scope = '';
}

/** What decides the scanned file set: per folder enable, mode and ignore globs. */
async function scopeOf(service: AnalysisService): Promise<string> {
  const parts = await Promise.all(
    service.ctx.folders.all().map(async (f) => {
      const s = await service.ctx.settings.get(f.uri);
      return [f.path, s.enable, s.analyzeWorkspace, s.ignore, s.filesExclude];
    }),
  );
  return JSON.stringify(parts);
}

/** After a settings change: scans again only when the scanned file set may differ. */
export async function rescanIfScopeChanged(
  service: AnalysisService,
  state: ScanState,
): Promise<void> {
  if ((await scopeOf(service)) !== state.scope) await startScan(service, state);
}

/** Starts a scan (cancelling a running one); resolves when it is done or cancelled. */
export function startScan(service: AnalysisService, state: ScanState): Promise<void> {
  const gen = ++state.generation;
  const run = scan(service, state, () => gen !== state.generation).catch((e) =>
    service.logError('workspace scan', e),
  );
  state.running = run;
  return run;
}

async function scan(
  service: AnalysisService,
  state: ScanState,
  cancelled: () => boolean,
): Promise<void> {
  const { connection } = service.ctx;
  // The documents a client opens right after `initialized` go first: their analysis and
  // their imports come before the listing and the bulk of the scan.
  await yieldToLoop();
  await service.dependencies;
  state.scope = await scopeOf(service);
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('Loop Lens', 0, 'Listing files…', false);
  try {
    const files = await listWorkspace(service);
    if (cancelled()) return;
    const t0 = Date.now();
    // The open documents' imports first: their diagnostics are the ones a person looks at.
    await service.dependencies;
    let done = 0;
    const report = (n: number) => {
      done += n;
      const pct = Math.floor((done / Math.max(files.length, 1)) * 90);
      progress?.report(pct, `${done}/${files.length} files`);
    };
    const isOpen = (f: string) => service.isOpen(f);
    // Parsing in the worker thread: the event loop only takes the summaries in.
    let inWorker = true;
    for (let i = 0; i < files.length && inWorker && !cancelled(); i += WORKER_CHUNK) {
      // A document opened meanwhile: its imports go before the rest of the workspace.
      await service.dependencies;
      const chunk = files.slice(i, i + WORKER_CHUNK).filter((f) => !service.host.isLoaded(f));
      const answer = service.host.loadInWorker(chunk, isOpen);
      // While the worker summarises: a piece of the edit path's rehearsal on this thread.
      service.rehearsal.step();
      inWorker = await answer;
      if (inWorker) report(Math.min(WORKER_CHUNK, files.length - i));
      await yieldToLoop();
    }
    // Without a worker: small time-boxed batches on the event loop.
    const rest = files.filter((f) => !service.host.isLoaded(f));
    await inBatches(inWorker ? [] : rest, cancelled, async (batch) => {
      await service.dependencies;
      const todo = batch.filter((f) => !service.host.isLoaded(f));
      await service.host.loadFromDisk(todo, isOpen);
      // Summaries only: linking after each batch would index every file loaded so far again.
      service.host.prepare(todo);
      report(batch.length);
    });
    if (cancelled()) return;
    progress?.report(90, 'Linking across files…');
    await inBatches(files, cancelled, (batch) => {
      void service.store(service.host.analyze(batch));
      return Promise.resolve();
    });
    const cached = service.host.cache.report();
    connection.console.info(
      `Loop Lens: analysed ${files.length} files in ${Date.now() - t0} ms${cached ? `; ${cached}` : ''}`,
    );
  } finally {
    progress?.done();
  }
  // After the end of the progress is out (a turn of the loop writes it): parsed during the
  // scan, a 5,000-line file held hovers for 100-300 ms at load.
  await yieldToLoop();
  if (!cancelled()) service.warmTrees();
}

/** Files of every folder whose settings ask for workspace analysis, minus ignored ones. */
async function listWorkspace(service: AnalysisService): Promise<string[]> {
  const { folders, settings } = service.ctx;
  const out: string[] = [];
  for (const folder of folders.all()) {
    const s = await settings.get(folder.uri);
    if (!s.enable || s.analyzeWorkspace === 'openFiles') continue;
    for (const f of await service.host.listFolder(folder)) {
      if (!folders.isIgnored(f, folder, s) && folders.owner(f) === folder) out.push(f);
    }
    await yieldToLoop();
  }
  return out;
}
