/**
 * Hover on a flagged call: why it blocks, what it typically costs, what to use instead, and the
 * chain down to the blocking API with a link to each step.
 */
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent, Position } from 'vscode-languageserver/node';
import { packagePath } from '../analysis/deps/where';
import type { Finding } from '../analysis/types';

/** Order-of-magnitude cost per rule, as a person would want it while reading the code. */
const TYPICAL_COST: Record<string, string> = {
  'sync-fs':
    'from ~0.05 ms for a small cached file to 100 ms and more for large files, cold caches or network disks; every other request waits that long',
  'sync-child-process':
    'at least the process start (5–50 ms) plus the whole run of the command; the loop is frozen throughout',
  'sync-zlib': 'about 10–30 ms per MB of input, proportional to the data size',
  'sync-crypto':
    'tens to hundreds of ms per call for key derivation (pbkdf2 with 100k iterations ≈ 50–100 ms, scrypt ≈ 50 ms), up to seconds for key pair generation',
  'sync-random': 'microseconds for small sizes; larger buffers block in proportion',
  'blocking-library':
    'as long as the library call takes (a query, a hash, a file scan): the loop waits for all of it',
  'atomics-wait': 'as long as the wait lasts: up to its timeout, or forever without one',
  'require-in-function':
    'the first call resolves, reads and compiles the module (1–50 ms); later calls hit the cache',
  'busy-wait': 'exactly the time it spins: nothing else runs meanwhile',
  redos:
    'grows exponentially with the input length: a crafted input of a few dozen characters can block for seconds',
  'threadpool-fanout':
    'libuv has 4 threads by default: the N-th job waits about N/4 job times, and every other fs, dns.lookup, crypto and zlib call queues behind them',
  'custom-blocking': 'as declared by your team in the Loop Lens config',
};

/** The finding whose range covers `pos` (the narrowest one when several do). */
export function findingAt(findings: readonly Finding[], pos: Position): Finding | undefined {
  const line = pos.line + 1;
  const col = pos.character + 1;
  const covering = findings.filter(
    (f) =>
      (line > f.line || (line === f.line && col >= f.column)) &&
      (line < f.endLine || (line === f.endLine && col <= f.endColumn)),
  );
  covering.sort(
    (a, b) =>
      a.endLine - a.line - (b.endLine - b.line) ||
      a.endColumn - a.column - (b.endColumn - b.column),
  );
  return covering[0];
}

/**
 * A markdown link that opens `file` at `line` (VS Code selects the line from `#L`); a file of an
 * installed package shows as `pkg/path/file.js`.
 */
export function stepLink(file: string, line: number, column = 1): string {
  return `[${packagePath(file) ?? basename(file)}:${line}](${pathToFileURL(file).toString()}#L${line},${column})`;
}

/** The hover text of one finding. */
export function hoverMarkdown(f: Finding, ruleHref: string): string {
  const lines = [
    `**Loop Lens** · [\`${f.rule}\`](${ruleHref}) · ${f.category}`,
    '',
    `\`${f.api}\` blocks the event loop.`,
    '',
    `**Why:** ${sentence(f.why)}`,
    '',
    `**Typical cost:** ${sentence(TYPICAL_COST[f.rule] ?? 'depends on the input; the loop waits for all of it')}`,
    '',
    `**Instead:** ${f.replacement.trim()}`,
  ];
  if (f.chain.length) {
    lines.push('', '**Chain:**', '');
    f.chain.forEach((step, i) => {
      const last = i === f.chain.length - 1;
      lines.push(
        `${i + 1}. \`${step.name}\` at ${stepLink(step.file, step.line, step.column)}${last ? ' (blocks)' : ''}`,
      );
    });
  }
  return lines.join('\n');
}

/** The LSP hover for `pos`, or null when nothing flagged is there. */
export function hoverFor(
  findings: readonly Finding[],
  pos: Position,
  href: (rule: string) => string,
  note?: (f: Finding) => string | undefined,
): Hover | null {
  const f = findingAt(findings, pos);
  if (!f) return null;
  const extra = note?.(f);
  const value = hoverMarkdown(f, href(f.rule)) + (extra ? `\n\n${extra}` : '');
  const contents: MarkupContent = { kind: 'markdown', value };
  return {
    contents,
    range: {
      start: { line: f.line - 1, character: f.column - 1 },
      end: { line: f.endLine - 1, character: f.endColumn - 1 },
    },
  };
}

function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const cap = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(cap) ? cap : `${cap}.`;
}
