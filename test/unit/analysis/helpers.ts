/**
 * Test helpers: write a small project to a temp folder, analyse it, and describe findings the way
 * a user reads them (`file:line rule`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  analyzeProject,
  type AnalysisResult,
  type Finding,
  type LoopLensConfig,
} from '../../../server/src/analysis/index';

/** Writes `files` (relative path → text) under a new temp folder and returns its path. */
export function writeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loop-lens-static-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

export interface Checked extends AnalysisResult {
  dir: string;
  /** `file:line rule`, sorted. */
  sites: string[];
  /** Findings with paths relative to the project. */
  rel: Finding[];
}

/** Analyses a project written from `files`. */
export function check(files: Record<string, string>, config?: LoopLensConfig): Checked {
  const dir = writeProject(files);
  const r = analyzeProject({ roots: [dir], config });
  const rel = r.findings.map((f) => ({
    ...f,
    file: path.relative(dir, f.file),
    chain: f.chain.map((s) => ({ ...s, file: path.relative(dir, s.file) })),
  }));
  const sites = rel.map((f) => `${f.file}:${f.line} ${f.rule}`).sort();
  fs.rmSync(dir, { recursive: true, force: true });
  return { ...r, dir, sites, rel };
}

/** Analyses a single file `a.ts` (or the given name) with the given text. */
export function checkOne(text: string, name = 'a.ts', config?: LoopLensConfig): Checked {
  return check({ [name]: text }, config);
}

/** Chain as `name (file:line) → …`. */
export function chainText(f: Finding): string {
  return f.chain.map((s) => `${s.name} (${s.file}:${s.line})`).join(' → ');
}
