/**
 * A TypeScript program compiled with source maps (file and inline) at test time: stalls are
 * blamed on the original .ts line; a broken map keeps generated positions and says so once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import type { Recorder, Target } from './runtimeHelpers';
import {
  FIXTURES,
  blockLine,
  describeStall,
  record,
  stallFor,
  startTarget,
} from './runtimeHelpers';

const APP_TS = join(FIXTURES, 'tsapp', 'app.ts');

function compile(outDir: string, inline: boolean): string {
  // transpileModule skips type checking (seconds on a loaded machine); sourceRoot points the
  // map back at the fixture, wherever the output goes.
  const out = ts.transpileModule(readFileSync(APP_TS, 'utf8'), {
    fileName: APP_TS,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceRoot: join(FIXTURES, 'tsapp'),
      ...(inline ? { inlineSourceMap: true } : { sourceMap: true }),
    },
  });
  mkdirSync(outDir, { recursive: true });
  const js = join(outDir, 'app.js');
  writeFileSync(js, out.outputText);
  if (out.sourceMapText) writeFileSync(`${js}.map`, out.sourceMapText);
  return js;
}

describe('source maps: a TypeScript program', () => {
  let dir: string;
  let big: string;
  const running: Array<{ t: Target; r: Recorder }> = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'loop-lens-ts-'));
    big = join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(256 * 1024 * 1024, 3));
  });
  after(async () => {
    for (const { t, r } of running) {
      await r.rec.stop();
      t.kill();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(js: string) {
    const t = await startTarget(js);
    const r = await record({ target: { kind: 'port', port: t.port! } });
    running.push({ t, r });
    return { t, r };
  }

  for (const inline of [false, true]) {
    test(`${inline ? 'inline' : 'file'} map: CPU and readFileSync stalls name the .ts lines`, async () => {
      const js = compile(join(dir, inline ? 'inline' : 'file'), inline);
      assert.notEqual(blockLine(js, 'tscpu'), blockLine(APP_TS, 'tscpu'), 'generated lines differ');
      const { t, r } = await start(js);
      const cpu = await stallFor(t, r, 'cpu 300');
      assert.equal(cpu.stall?.kind, 'cpu', describeStall(cpu.stall));
      assert.equal(cpu.stall?.blame?.file, APP_TS, describeStall(cpu.stall));
      assert.equal(cpu.stall?.blame?.line, blockLine(APP_TS, 'tscpu'), describeStall(cpu.stall));
      const io = await stallFor(t, r, `readfile ${big}`);
      assert.equal(
        io.stall?.kind,
        'sync-io',
        `${describeStall(io.stall)}; blocked ${io.done.ms} ms`,
      );
      assert.equal(io.stall?.blame?.file, APP_TS, describeStall(io.stall));
      assert.equal(io.stall?.blame?.functionName, 'loadFile', describeStall(io.stall));
      assert.equal(io.stall?.blame?.line, blockLine(APP_TS, 'tsread'), describeStall(io.stall));
    });
  }

  test('a malformed map: generated positions are kept and the problem is reported once', async () => {
    const js = compile(join(dir, 'broken'), false);
    writeFileSync(`${js}.map`, '{ "version": 3, "mappings": ');
    const { t, r } = await start(js);
    const a = await stallFor(t, r, 'cpu 200');
    const b = await stallFor(t, r, 'cpu 200');
    for (const s of [a.stall, b.stall]) {
      assert.equal(s?.blame?.file, js, describeStall(s));
      // TypeScript prints the loops' bodies on lines of their own: the hot line is one of them.
      const lines = readFileSync(js, 'utf8').split('\n');
      const hot = [
        blockLine(js, 'tscpu'),
        lines.findIndex((l) => l.includes('while (process.cpuUsage().user / 1000 < end)')) + 1,
      ];
      assert.ok(hot.includes(s?.blame?.line ?? -1), describeStall(s));
    }
    const warnings = (r.rec as unknown as { warnings: string[] }).warnings;
    assert.equal(warnings.filter((w) => w.includes('source map')).length, 1, warnings.join('\n'));
    assert.match(readFileSync(js, 'utf8'), /sourceMappingURL=app\.js\.map/);
  });
});
