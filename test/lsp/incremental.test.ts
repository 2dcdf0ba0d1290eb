/**
 * The incremental path over stdio: edits sent as ranges (as VS Code sends them while typing) in
 * the middle, at the start and at the end of a file, a replacement, and their undos. After each
 * step the server's diagnostics equal those of a fresh server opened on the same text.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol/node';
import { Fixture, LspClient } from './client';

const util = [
  "import * as fs from 'node:fs';",
  'export function load(p: string) {',
  "  return fs.readFileSync(p, 'utf8');",
  '}',
  '',
].join('\n');

const app = [
  "import * as fs from 'node:fs';",
  "import { load } from './util';",
  '',
  'export async function first(p: string) {',
  '  return load(p);',
  '}',
  '',
  'export async function middle(p: string) {',
  '  const n = p.length;',
  '  return n;',
  '}',
  '',
].join('\n');

/** A step: replace `remove` at its first place after `after` (or at the end) by `insert`. */
interface Step {
  what: string;
  after?: string;
  at?: 'start' | 'end';
  remove?: string;
  insert: string;
}

const tail = "export async function tail(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n";
const steps: Step[] = [
  {
    what: 'a blocking call inserted in the middle',
    after: '  const n = p.length;\n',
    insert: '  fs.statSync(p);\n',
  },
  { what: 'a line inserted at the start', at: 'start', insert: '// header\n' },
  { what: 'a function appended at the end', at: 'end', insert: tail },
  {
    what: 'a call replaced',
    after: 'first(p: string) {\n  return ',
    remove: 'load(p)',
    insert: 'p',
  },
];

/** The offsets of a step in `text`, and the text after it. */
function apply(text: string, s: Step): { start: number; end: number; next: string } {
  let start: number;
  if (s.at === 'start') start = 0;
  else if (s.at === 'end') start = text.length;
  else {
    const i = text.indexOf(s.after!);
    assert.ok(i >= 0, `anchor of "${s.what}"`);
    start = i + s.after!.length;
  }
  const end = start + (s.remove?.length ?? 0);
  if (s.remove) assert.equal(text.slice(start, end), s.remove);
  return { start, end, next: text.slice(0, start) + s.insert + text.slice(end) };
}

function rangeOf(text: string, start: number, end: number): Range {
  const pos = (o: number) => {
    const before = text.slice(0, o).split('\n');
    return { line: before.length - 1, character: before[before.length - 1]!.length };
  };
  return { start: pos(start), end: pos(end) };
}

const shape = (d: Diagnostic[]) =>
  d.map((x) => `${x.range.start.line}:${x.range.start.character} ${x.code} ${x.message}`).sort();

describe('incremental edits over stdio', () => {
  const fx = new Fixture({ 'util.ts': util, 'app.ts': app });
  const lsp = new LspClient();
  after(async () => {
    await lsp.dispose();
    fx.dispose();
  });

  /** Diagnostics of a fresh server on `text` (once its scan ended and they settled on `want`). */
  async function fresh(text: string, want: string[]): Promise<string[]> {
    const other = new LspClient();
    try {
      await other.initialize([fx.uri()]);
      await other.open(fx.uri('app.ts'), text);
      await other.waitForProgressEnd();
      const d = await other.waitForDiagnostics(
        fx.uri('app.ts'),
        (x) => JSON.stringify(shape(x)) === JSON.stringify(want),
        `a fresh server's diagnostics equal to ${JSON.stringify(want)}`,
      );
      return shape(d);
    } finally {
      await other.dispose();
    }
  }

  test('after each edit and each undo: the diagnostics of a fresh server on that text', async () => {
    const uri = fx.uri('app.ts');
    await lsp.initialize([fx.uri()]);
    await lsp.open(uri, app);
    await lsp.waitForDiagnostics(uri, (d) => d.length === 1, 'the chain into util.ts');
    let text = app;
    const undo: Step[] = [];
    const sets = new Set<string>();
    const run = async (s: Step) => {
      const { start, end, next } = apply(text, s);
      const version = await lsp.edit(uri, rangeOf(text, start, end), s.insert);
      text = next;
      // Every step changes the findings (a call, or where they are): each version publishes.
      await lsp.waitForDiagnostics(
        uri,
        () => lsp.published.some((p) => p.uri === uri && p.version === version),
        `diagnostics of version ${version} (${s.what})`,
      );
      const got = shape(lsp.diagnostics.get(uri)!);
      assert.deepEqual(got, await fresh(text, got), s.what);
      sets.add(JSON.stringify(got));
      return { start, removed: s.remove ?? '' };
    };
    for (const s of steps) {
      const { start, removed } = await run(s);
      const before = text.slice(0, start);
      undo.unshift({ what: `undo: ${s.what}`, after: before, remove: s.insert, insert: removed });
    }
    assert.ok(shape(lsp.diagnostics.get(uri)!).some((l) => l.includes('sync-fs fs.readFileSync')));
    for (const u of undo) {
      if (u.after === '') await run({ ...u, after: undefined, at: 'start' });
      else await run(u);
    }
    assert.equal(text, app, 'every step undone');
    assert.equal(lsp.diagnostics.get(uri)!.length, 1, 'the first diagnostics again');
    assert.ok(sets.size >= 4, `the steps changed the diagnostics (${sets.size} sets)`);
  });
});
