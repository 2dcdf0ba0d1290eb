/**
 * Maps engine findings to LSP diagnostics under one resource's settings: severity per category
 * (`hint`/`off` included), follow-calls and threadpool switches, the rule link and one
 * `relatedInformation` entry per chain step. Pure: no connection in scope.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
} from 'vscode-languageserver/node';
import type { SeveritySetting } from '../../../src/shared/configKeys';
import { packageOf } from '../analysis/deps/where';
import type { Category, Finding, Severity } from '../analysis/types';
import type { ResourceSettings } from '../settings';

/** Diagnostic `source` of every Loop Lens diagnostic. */
export const DIAGNOSTIC_SOURCE = 'loop-lens';

/** Where rule pages live online, when the installed extension has no `docs/` folder. */
export const RULE_DOCS_BASE = 'https://github.com/loop-lens/loop-lens/blob/main/docs/rules/';

/** The engine's default level of each category; a finding's own severity is relative to it. */
const CATEGORY_DEFAULT: Record<Category, Severity> = {
  'sync-io': 'warning',
  cpu: 'warning',
  threadpool: 'info',
};

const RANK: Record<Severity, number> = { error: 1, warning: 2, info: 3 };
const SETTING_RANK: Record<Exclude<SeveritySetting, 'off'>, number> = {
  error: 1,
  warning: 2,
  information: 3,
  hint: 4,
};

/** The category's setting (`loopLens.severity.syncIo|cpu|threadpool`). */
function categorySetting(category: Category, s: ResourceSettings): SeveritySetting {
  if (category === 'sync-io') return s.severity.syncIo;
  return category === 'cpu' ? s.severity.cpu : s.severity.threadpool;
}

/**
 * The LSP severity of a finding, or undefined when it is hidden. The setting sets the level of
 * the category; a finding the engine (or the project's config file) ranks above or below its
 * category's default keeps that distance, e.g. `sync-random` (info in `cpu`) stays one level
 * below the `cpu` setting. `hint` shows everything of the category as hints.
 */
export function effectiveSeverity(f: Finding, s: ResourceSettings): DiagnosticSeverity | undefined {
  const setting = categorySetting(f.category, s);
  if (setting === 'off') return undefined;
  if (setting === 'hint') return DiagnosticSeverity.Hint;
  const shift = RANK[f.severity] - RANK[CATEGORY_DEFAULT[f.category]];
  const rank = Math.min(Math.max(SETTING_RANK[setting] + shift, 1), 4);
  return rank as DiagnosticSeverity;
}

/**
 * Whether the settings show this finding at all (enable, followCalls, followDependencies,
 * threadpool switch). The engine always follows; the settings filter, so a change applies at once.
 */
export function isShown(f: Finding, s: ResourceSettings): boolean {
  if (!s.enable) return false;
  if (!s.followCalls && f.chain.length > 0) return false;
  if (!s.followDependencies && entersDependency(f)) return false;
  if (!s.threadpool.enable && f.category === 'threadpool') return false;
  return effectiveSeverity(f, s) !== undefined;
}

/** Whether the chain leaves the finding's own code for an installed package. */
function entersDependency(f: Finding): boolean {
  const own = packageOf(f.file);
  return f.chain.some((c) => {
    const pkg = packageOf(c.file);
    return pkg !== undefined && pkg !== own;
  });
}

/** Resolves a rule id to the page that explains it. */
export class RuleDocs {
  private readonly local: string | undefined;
  private readonly cache = new Map<string, string>();

  /** `extensionRoot` is the folder holding `docs/rules/` (the bundle's parent in a package). */
  constructor(extensionRoot: string) {
    const dir = join(extensionRoot, 'docs', 'rules');
    this.local = existsSync(dir) ? dir : undefined;
  }

  /** A file URI into the installed extension (works offline), else the online page. */
  href(rule: string): string {
    let href = this.cache.get(rule);
    if (href === undefined) {
      const page = `${encodeURIComponent(rule)}.md`;
      href =
        this.local && existsSync(join(this.local, page))
          ? pathToFileURL(join(this.local, page)).toString()
          : RULE_DOCS_BASE + page;
      this.cache.set(rule, href);
    }
    return href;
  }
}

/** The data attached to each diagnostic so code actions work without server-side lookups. */
export interface DiagnosticData {
  finding: Finding;
}

/** One diagnostic, or undefined when the settings hide the finding. */
export function toDiagnostic(
  f: Finding,
  s: ResourceSettings,
  docs: RuleDocs,
): Diagnostic | undefined {
  if (!isShown(f, s)) return undefined;
  const related: DiagnosticRelatedInformation[] = f.chain.map((step, i) => ({
    location: {
      uri: pathToFileURL(step.file).toString(),
      range: {
        start: { line: step.line - 1, character: Math.max(step.column - 1, 0) },
        end: { line: step.line - 1, character: Math.max(step.column - 1, 0) + step.name.length },
      },
    },
    message:
      i === f.chain.length - 1
        ? `${i + 1}. blocking call: ${step.name}`
        : `${i + 1}. calls ${step.name}`,
  }));
  const data: DiagnosticData = { finding: f };
  return {
    range: {
      start: { line: f.line - 1, character: Math.max(f.column - 1, 0) },
      end: { line: f.endLine - 1, character: Math.max(f.endColumn - 1, 0) },
    },
    severity: effectiveSeverity(f, s),
    source: DIAGNOSTIC_SOURCE,
    code: f.rule,
    codeDescription: { href: docs.href(f.rule) },
    message: f.message,
    ...(related.length ? { relatedInformation: related } : {}),
    data,
  };
}

/** The diagnostics of one file, in line order. */
export function toDiagnostics(
  findings: readonly Finding[],
  s: ResourceSettings,
  docs: RuleDocs,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings) {
    const d = toDiagnostic(f, s, docs);
    if (d) out.push(d);
  }
  return out;
}
