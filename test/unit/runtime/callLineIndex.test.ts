/**
 * The warm-up indexes each script's call sites ahead of stalls (codeLines.ts, callLines.ts): the
 * first stall of a new stack shape finds the call line in each caller frame by a lookup in that
 * index, not by reading the function's lines; the answers are the same either way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Attributor } from '../../../src/runtime/attribution';
import { callLineLookups } from '../../../src/runtime/callLines';
import { findCallLine, functionEdgeLines } from '../../../src/runtime/callSite';
import { codeLinesOf, warmCodeLines } from '../../../src/runtime/codeLines';
import { ProfileStore } from '../../../src/runtime/profileStore';
import { SourceMapResolver } from '../../../src/runtime/sourceMaps';
import { waitFor } from '../../waitFor';

const APP = [
  "const db = require('lib');", // 1
  'function save(i) {', // 2
  '  const at = Date.now(); // db.write( in a comment', // 3
  "  const s = 'write(';", // 4
  '  db.get(i).write(at);', // 5
  '}', // 6
  'save(1);', // 7
].join('\n');
const LIB = 'exports.write = function write(x) {\n  return JSON.stringify(x);\n};\n';

/** A profile of one stall: app top level → save → the package's `write` (the leaf). */
function stallIn(appFile: string, libFile: string): ProfileStore {
  const cf = (functionName: string, url: string, lineNumber: number) => ({
    functionName,
    scriptId: '1',
    url,
    lineNumber,
    columnNumber: 0,
  });
  const store = new ProfileStore();
  const app = pathToFileURL(appFile).href;
  store.append({
    nodes: [
      { id: 1, callFrame: cf('(root)', '', -1), children: [2] },
      { id: 2, callFrame: cf('', 'node:internal/main', 0), children: [3] },
      { id: 3, callFrame: cf('', app, 0), children: [4] },
      { id: 4, callFrame: cf('save', app, 1), children: [5] },
      { id: 5, callFrame: cf('db.write', pathToFileURL(libFile).href, 0), children: [] },
    ],
    startTime: 0,
    endTime: 100_000,
    samples: [5, 5],
    timeDeltas: [50_000, 50_000],
  });
  return store;
}

/** A folder with the app and its package; `tag` makes the texts its own (texts are cached). */
function appDir(tag: string): { dir: string; appFile: string; libFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'loop-lens-index-'));
  const lib = join(dir, 'node_modules', 'lib');
  mkdirSync(lib, { recursive: true });
  writeFileSync(join(lib, 'package.json'), '{"name":"lib","version":"1.0.0"}');
  const appFile = join(dir, 'app.js');
  const libFile = join(lib, 'index.js');
  writeFileSync(appFile, `${APP}\n// ${tag}\n`);
  writeFileSync(libFile, `${LIB}// ${tag}\n`);
  return { dir, appFile, libFile };
}

async function blamed(attributor: Attributor, appFile: string, libFile: string) {
  const store = stallIn(appFile, libFile);
  const a = await attributor.fromProfile(store, new Map([[5, 100_000]]), 0, 100_000);
  return { line: a.blame?.line, source: a.lineSource, caller: a.stack[2]?.line };
}

test('the first stall of a new shape finds its call lines in the index the warm-up built', async () => {
  const { dir, appFile, libFile } = appDir('warmed');
  try {
    const attributor = new Attributor(new SourceMapResolver());
    attributor.warmFiles([appFile, libFile]);
    let settled = false;
    void attributor.warmer.done().then(() => (settled = true));
    await waitFor(() => settled, 'the warm-up to finish');
    const resolver = attributor as unknown as { resolver: SourceMapResolver };
    const text = await resolver.resolver.text(appFile);
    assert.ok(text && codeLinesOf(text).callIndex, 'the warm-up indexed app.js');
    const before = { ...callLineLookups };
    const r = await blamed(attributor, appFile, libFile);
    // save's call of db.write (line 5, not the comment or the string), and top level's call of save.
    assert.deepEqual(r, { line: 5, source: 'static', caller: 7 });
    assert.ok(callLineLookups.indexed > before.indexed, 'looked up in the index');
    assert.equal(callLineLookups.read, before.read, 'no function read line by line');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without the warm-up the stall reads the lines, with the same answer', async () => {
  const { dir, appFile, libFile } = appDir('cold');
  try {
    const attributor = new Attributor(new SourceMapResolver());
    const before = { ...callLineLookups };
    const r = await blamed(attributor, appFile, libFile);
    assert.deepEqual(r, { line: 5, source: 'static', caller: 7 });
    assert.ok(callLineLookups.read > before.read, 'read the lines');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('index and line reading agree: callees, lines where the function ran, known calls, edges', async () => {
  const src = [
    'function spin(ms) {', // 1
    '  const end = process.cpuUsage().user / 1000 + ms;', // 2
    '  const t = f<string>  (x); // readFileSync(', // 3
    '  while (process.cpuUsage().user / 1000 < end) acc += Math.sqrt(acc);', // 4
    '  return fs.readFileSync(end);', // 5
    '}', // 6
    'const g = (s) => JSON.parse(s);', // 7
    'g("{}"); spin(1);', // 8
  ].join('\n');
  const asks: Array<[number, string[], number[]]> = [
    [1, ['cpuUsage'], []],
    [1, ['cpuUsage'], [4, 5]],
    [1, ['cpuUsage'], [3]],
    [1, ['f'], []],
    [1, ['execSync'], []],
    [1, ['readFileSync'], []],
    [7, ['parse'], []],
    [7, ['nothing'], []],
    [0, ['spin', 'g'], []],
    [0, [], []],
  ];
  const ask = (text: string) =>
    asks.map(([at, callees, ran]) => findCallLine(text, at, callees, new Set(ran)));
  const edges = (text: string) => [1, 7].map((at) => [...functionEdgeLines(text, at)].sort());
  const read = { calls: ask(src), edges: edges(src) };
  const copy = `${src}\n`;
  await warmCodeLines(copy);
  assert.ok(codeLinesOf(copy).callIndex);
  const before = callLineLookups.indexed;
  assert.deepEqual({ calls: ask(copy), edges: edges(copy) }, read);
  assert.ok(callLineLookups.indexed > before);
  assert.deepEqual(read.calls.slice(0, 6), [
    { line: 2, byName: true },
    { line: 4, byName: true },
    { line: 2, byName: true },
    { line: 3, byName: true },
    { line: 5, byName: false },
    { line: 5, byName: true },
  ]);
});

test('a function declaration is no call of its name; a named function expression on a call line is', () => {
  const src = [
    'function save(i) {', // 1
    '  return xs.map(function each(x) {', // 2
    '    return JSON.stringify(x);', // 3
    '  });', // 4
    '}', // 5
    'export async function load() {}', // 6
    'save(1);', // 7
  ].join('\n');
  assert.deepEqual(findCallLine(src, 0, ['save']), { line: 7, byName: true });
  assert.deepEqual(findCallLine(src, 1, ['each']), { line: 2, byName: true });
  assert.equal(findCallLine(src, 6, ['load']), undefined);
});

test('the files of a stack the probe took while the loop was blocked are indexed then', async () => {
  const { dir, appFile, libFile } = appDir('probed');
  try {
    const attributor = new Attributor(new SourceMapResolver());
    // An ES module is in no require.cache: the probe's stack is where the recorder learns of it.
    const frame = (functionName: string, file: string, line0: number) => ({
      functionName,
      url: pathToFileURL(file).href,
      line0,
      col0: 2,
      isDefinition: false,
    });
    attributor.prefetchStack([frame('write', libFile, 1), frame('save', appFile, 4)]);
    const resolver = (attributor as unknown as { resolver: SourceMapResolver }).resolver;
    const indexed = async (f: string) => {
      const text = await resolver.text(f);
      return text !== undefined && codeLinesOf(text).callIndex !== undefined;
    };
    let both = false;
    await waitFor(() => {
      void Promise.all([indexed(appFile), indexed(libFile)]).then((r) => (both = r.every(Boolean)));
      return both;
    }, 'the probed files to be indexed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
