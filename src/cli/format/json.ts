/**
 * `--format json`: the machine-readable shape promised in the CLI's contract (issue 2, item 6).
 * Only the documented keys are written, so consumers can rely on the exact shape.
 */
import type { AnalysisResult, Finding } from '../../../server/src/analysis/types';

/** One finding as JSON consumers see it: absolute paths, 1-based positions. */
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  category: string;
  severity: string;
  message: string;
  api: string;
  chain: { file: string; line: number; name: string }[];
}

/** The whole JSON document written to stdout. */
export interface JsonReport {
  findings: JsonFinding[];
  filesAnalyzed: number;
  durationMs: number;
  notes: { file: string; kind: string; reason: string }[];
  /** Installed packages calls were followed into: packages, their files, files from the cache. */
  dependencies: { packages: number; files: number; cached: number };
}

/** Maps an engine finding to the documented JSON keys (drops engine-only fields). */
export function toJsonFinding(f: Finding): JsonFinding {
  return {
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    rule: f.rule,
    category: f.category,
    severity: f.severity,
    message: f.message,
    api: f.api,
    chain: f.chain.map((s) => ({ file: s.file, line: s.line, name: s.name })),
  };
}

/** Serialises a result as the JSON report, ending with a newline. */
export function formatJson(result: AnalysisResult): string {
  const report: JsonReport = {
    findings: result.findings.map(toJsonFinding),
    filesAnalyzed: result.filesAnalyzed,
    durationMs: Math.round(result.durationMs),
    notes: result.notes.map((n) => ({ file: n.file, kind: n.kind, reason: n.reason })),
    dependencies: result.dependencies ?? { packages: 0, files: 0, cached: 0 },
  };
  return JSON.stringify(report, null, 2) + '\n';
}
