/**
 * The static engine's public API, for the CLI (`analyzeProject`), the language server
 * (`StaticWorkspace`) and the runtime view (`findBlockingCallInFunction`). No LSP, no `vscode`.
 */
import { StaticWorkspace } from './workspace';
import type { AnalysisResult, LoopLensConfig } from './types';

export { StaticWorkspace, type StaticWorkspaceOptions } from './workspace';
export { findBlockingCallInFunction } from './findBlocking';
export { catalog, type CatalogEntry } from './catalog';
export { ruleIds, ruleDefaults, type RuleId } from './rules';
export type * from './types';

export interface AnalyzeProjectOptions {
  /** Files or folders. */
  roots: string[];
  config?: LoopLensConfig;
  useTypeChecker?: boolean;
  /** Keep package summaries in node_modules/.cache/loop-lens (default true). */
  dependencyCache?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** One-shot analysis of every JS/TS file under `roots` (the CLI's `loop-lens check`). */
export function analyzeProject(opts: AnalyzeProjectOptions): AnalysisResult {
  const t0 = performance.now();
  const ws = new StaticWorkspace(opts);
  const byFile = ws.analyze(undefined, opts.onProgress);
  const findings = [...byFile.values()].flat();
  const notes = ws.notes();
  const skipped = new Set(notes.filter((n) => n.kind !== 'partial').map((n) => n.file));
  const filesAnalyzed = ws.listFiles().filter((f) => !skipped.has(f)).length;
  return {
    findings,
    notes,
    filesAnalyzed,
    durationMs: Math.round(performance.now() - t0),
    dependencies: ws.dependencyStats(),
  };
}
