/**
 * Random edit sequences over stdio, each edit sent as a range (as VS Code sends them): a callee
 * swapped for another, a blocking call inserted, functions renamed, deleted or appended, lines
 * inserted at the start (shifting every function below), syntax broken and fixed again, undos;
 * some edits one by one, some in bursts that the server folds into one analysis. After each
 * round the diagnostics of both edited files equal those of a fresh server (no summary cache)
 * opened on the same texts. Seeded: a failure names its seed and replays with it.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { Fixture, LspClient } from './client';
import { type Doc, randomEdit, rangeOf, rng, sentinel, undoLast } from './editSequenceOps';

const util = [
  "import * as fs from 'node:fs';",
  'export function readConfig(p: string) {',
  "  return fs.readFileSync(p, 'utf8');",
  '}',
  'export function pure(p: string) {',
  '  return p.length;',
  '}',
  'export function viaHelper(p: string) {',
  '  return readConfig(p);',
  '}',
  '',
].join('\n');

const app = [
  "import * as fs from 'node:fs';",
  "import { readConfig, pure, viaHelper } from './util';",
  '',
  'function local(p: string) {',
  '  return pure(p);',
  '}',
  '',
  'export async function alpha(p: string) {',
  '  const a = local(p);',
  '  return a;',
  '}',
  '',
  'export async function beta(p: string) {',
  '  return viaHelper(p);',
  '}',
  '',
  'export async function gamma(p: string) {',
  '  return pure(p) + String(fs.constants.F_OK);',
  '}',
  '',
  'export class Store {',
  '  async load(p: string) {',
  '    return this.parse(p);',
  '  }',
  '  parse(p: string) {',
  '    return readConfig(p).trim();',
  '  }',
  '}',
  '',
].join('\n');

const shape = (d: Diagnostic[] | undefined) =>
  (d ?? [])
    .map((x) => `${x.range.start.line}:${x.range.start.character} ${x.code} ${x.message}`)
    .sort();

/** Random edits per round, sent without waiting (the server may fold them into one analysis). */
const ROUNDS = [1, 2, 6, 1, 3, 10];
const SEEDS = [11, 29];

describe('random edit sequences over stdio', () => {
  const fx = new Fixture({ 'util.ts': util, 'app.ts': app });
  after(() => fx.dispose());

  /** Diagnostics of a fresh server on these texts, once they equal `want` (or its last set). */
  async function fresh(docs: Doc[], want: string[][]): Promise<string[][]> {
    const other = new LspClient();
    try {
      await other.initialize([fx.uri()], { summaryCacheDir: false });
      for (const d of docs) await other.open(d.uri, d.text);
      await other.waitForProgressEnd();
      const out: string[][] = [];
      for (const [i, d] of docs.entries()) {
        const same = (x: Diagnostic[]) => JSON.stringify(shape(x)) === JSON.stringify(want[i]);
        // Never empty (each round adds a finding to each file): its publish comes.
        const got = await other
          .waitForDiagnostics(d.uri, same, `a fresh server's diagnostics of ${d.uri}`)
          .catch(() => other.diagnostics.get(d.uri));
        out.push(shape(got));
      }
      return out;
    } finally {
      await other.dispose();
    }
  }

  for (const seed of SEEDS) {
    test(`seed ${seed}: after each round, the diagnostics of a fresh server on the same texts`, async () => {
      const lsp = new LspClient();
      try {
        await lsp.initialize([fx.uri()]);
        const docs: Doc[] = [
          { uri: fx.uri('util.ts'), text: util, undo: [] },
          { uri: fx.uri('app.ts'), text: app, undo: [] },
        ];
        for (const d of docs) await lsp.open(d.uri, d.text);
        await lsp.waitForProgressEnd();
        const random = rng(seed);
        const log: string[] = [];
        for (const [round, size] of ROUNDS.entries()) {
          for (let i = 0; i < size; i++) {
            const doc = random() < 0.3 ? docs[0]! : docs[1]!;
            for (const e of randomEdit(doc, random)) {
              log.push(`${doc.uri.slice(-6)} ${e.what}`);
              await lsp.edit(doc.uri, rangeOf(doc.text, e.start, e.end), e.insert);
              doc.undo.push({
                what: `undo ${e.what}`,
                start: e.start,
                end: e.start + e.insert.length,
                insert: doc.text.slice(e.start, e.end),
              });
              doc.text = doc.text.slice(0, e.start) + e.insert + doc.text.slice(e.end);
            }
            if (random() < 0.2) {
              const u = undoLast(doc);
              if (u) {
                log.push(`${doc.uri.slice(-6)} ${u.what}`);
                await lsp.edit(doc.uri, rangeOf(u.before, u.start, u.end), u.insert);
              }
            }
          }
          // Each document's last edit of the round adds a finding of its own: a publish of
          // that version is certain, and tells that the server has the round's texts.
          for (const d of docs) {
            const s = sentinel(d, round);
            const version = await lsp.edit(d.uri, rangeOf(d.text, s.start, s.end), s.insert);
            d.text = d.text.slice(0, s.start) + s.insert + d.text.slice(s.end);
            d.undo.length = 0;
            await lsp.waitForDiagnostics(
              d.uri,
              () => lsp.published.some((p) => p.uri === d.uri && p.version === version),
              `diagnostics of version ${version}`,
            );
          }
          const want = await fresh(
            docs,
            docs.map((d) => shape(lsp.diagnostics.get(d.uri))),
          );
          const got: string[][] = [];
          for (const [i, d] of docs.entries()) {
            const same = (x: Diagnostic[]) => JSON.stringify(shape(x)) === JSON.stringify(want[i]);
            got.push(
              shape(
                await lsp
                  .waitForDiagnostics(d.uri, same, "the fresh server's set")
                  .catch(() => lsp.diagnostics.get(d.uri)),
              ),
            );
          }
          assert.deepEqual(got, want, `seed ${seed}, round ${round}:\n${log.join('\n')}`);
        }
        assert.deepEqual(lsp.errorLogs, []);
      } finally {
        await lsp.dispose();
      }
    });
  }
});
