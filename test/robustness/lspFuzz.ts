/**
 * The language server fed random edits of real files (the demo service and the engine's own
 * sources): truncations, random bytes, unbalanced braces, deleted and duplicated ranges, a 1 MB
 * line, a binary file, a file deleted on disk while open. After each edit a hover or a code-action
 * request; a crash is the server process exiting. The LSP robustness test runs a few hundred
 * edits, `npm run bench -- robustness` 1,000 or more.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { Fixture, LspClient } from '../lsp/client';

const ROOT = join(__dirname, '..', '..');

/** Deterministic PRNG (mulberry32): a failure replays from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function realFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const take = (dir: string, prefix: string, n: number) => {
    for (const name of readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.ts'))
      .slice(0, n)) {
      out[`${prefix}/${name}`] = readFileSync(join(ROOT, dir, name), 'utf8');
    }
  };
  take('examples/demo-service/src', 'demo', 10);
  take('examples/demo-service/src/routes', 'demo/routes', 10);
  take('server/src/analysis', 'engine', 8);
  return out;
}

export interface FuzzResult {
  edits: number;
  requests: number;
  answered: number;
  /** Requests answered with an error response (a handler threw). */
  errors: number;
  crashes: number;
  /** Diagnostics the server published meanwhile (it kept analysing). */
  published: number;
  /** Exceptions the server caught and logged (an analysis that threw on some input). */
  logged: string[];
  /** Request latencies, ms, sorted. */
  latencies: number[];
  log: string[];
}

const BRACES = ['{', '}', '(', ')', '[', ']', '`', '/*', '"', "'", '${', '=>', '<'];

/** Runs `edits` random edits against one server; `seed` picks them. */
export async function fuzzLanguageServer(edits: number, seed = 1): Promise<FuzzResult> {
  const originals = realFiles();
  const names = Object.keys(originals);
  const fx = new Fixture(originals);
  const lsp = new LspClient();
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const res: FuzzResult = {
    edits: 0,
    requests: 0,
    answered: 0,
    errors: 0,
    crashes: 0,
    published: 0,
    logged: [],
    latencies: [],
    log: [],
  };
  let exited = false;
  let disposing = false;
  lsp.onDiagnostics(() => res.published++);
  lsp.child.on('exit', (code, signal) => {
    exited = true;
    if (disposing) return;
    res.crashes++;
    res.log.push(
      `server exited (${code ?? signal}) after ${res.edits} edits: ${lsp.stderr.slice(-1000)}`,
    );
  });
  const texts = new Map<string, string>();
  try {
    // No debounce: each edit is analysed, not only the last of a burst.
    await lsp.initialize([fx.uri()], { debounceMs: 0 });
    for (const n of names) {
      texts.set(n, originals[n]!);
      await lsp.open(fx.uri(n), originals[n]!);
    }
    for (let i = 0; i < edits && !exited; i++) {
      const name = pick(names);
      const uri = fx.uri(name);
      const before = texts.get(name)!;
      const at = Math.floor(r() * (before.length + 1));
      const end = Math.min(before.length, at + Math.floor(r() * 400));
      const roll = r();
      let text: string;
      let what: string;
      if (roll < 0.2) [text, what] = [before.slice(0, at), 'truncate'];
      else if (roll < 0.4) {
        const bytes = Array.from({ length: 1 + Math.floor(r() * 64) }, () =>
          String.fromCharCode(Math.floor(r() * 0x10000)),
        ).join('');
        [text, what] = [before.slice(0, at) + bytes + before.slice(at), 'random chars'];
      } else if (roll < 0.6) {
        const junk = Array.from({ length: 1 + Math.floor(r() * 6) }, () => pick(BRACES)).join('');
        [text, what] = [before.slice(0, at) + junk + before.slice(at), `unbalanced ${junk}`];
      } else if (roll < 0.7) {
        [text, what] = [before.slice(0, at) + before.slice(end), 'delete range'];
      } else if (roll < 0.8) {
        [text, what] = [
          before.slice(0, end) + before.slice(at, end) + before.slice(end),
          'duplicate',
        ];
      } else if (roll < 0.9) [text, what] = [originals[name]!, 'restore'];
      else if (roll < 0.93) {
        [text, what] = [
          `${before.slice(0, at)}const x = "${'a'.repeat(1 << 20)}";\n${before.slice(at)}`,
          '1 MB line',
        ];
      } else if (roll < 0.96) {
        const bin = Buffer.from(Array.from({ length: 65536 }, () => Math.floor(r() * 256)));
        [text, what] = [bin.toString('latin1'), 'binary file'];
      } else {
        // Deleted on disk while open, then written back.
        fx.remove(name);
        await lsp.filesChanged([{ uri, type: 3 }]);
        fx.write(name, originals[name]!);
        await lsp.filesChanged([{ uri, type: 1 }]);
        [text, what] = [before, 'deleted on disk while open'];
      }
      texts.set(name, text);
      await lsp.change(uri, text);
      res.edits++;
      const lines = text.split('\n');
      const line = Math.floor(r() * (lines.length + 2));
      const character = Math.floor(r() * ((lines[line]?.length ?? 10) + 2));
      const diag: Diagnostic = {
        range: { start: { line, character: 0 }, end: { line, character } },
        message: 'x',
        code: 'sync-fs',
        source: 'loop-lens',
      };
      const t0 = performance.now();
      res.requests++;
      try {
        await (r() < 0.5 ? lsp.hover(uri, line, character) : lsp.codeActions(uri, diag));
        res.answered++;
      } catch (e) {
        if (exited) break;
        res.answered++;
        res.errors++;
        res.log.push(`edit ${i} (${what}) on ${name}: ${(e as Error).message}`);
      }
      res.latencies.push(performance.now() - t0);
    }
    if (!exited) {
      // Still right afterwards: the originals back, the demo's known finding reported again.
      for (const n of names) await lsp.change(fx.uri(n), originals[n]!);
      texts.clear();
      await lsp.waitForDiagnostics(fx.uri('demo/routes/export.ts'), (d) => d.length > 0);
    }
  } finally {
    res.latencies.sort((a, b) => a - b);
    res.logged.push(...lsp.errorLogs);
    disposing = true;
    await lsp.dispose().catch(() => undefined);
    fx.dispose();
  }
  return res;
}
