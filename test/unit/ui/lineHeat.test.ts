/** The per-line numbers the editor paints (pure: no `vscode`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeLineHeat, lineNote } from '../../../src/ui/lineHeat';
import { stall } from '../media/helpers';

test('the note at the end of a blamed line gives total, count, max and kinds, most frequent first', () => {
  const heat = computeLineHeat([
    stall(0, 150, 'cpu', ['/app/a.js', 23, 'spin']),
    stall(400, 160, 'cpu', ['/app/a.js', 23, 'spin']),
    stall(800, 2300, 'gc', ['/app/a.js', 23, 'spin']),
    stall(900, 95, 'sync-io', ['/app/a.js', 30, 'load']),
  ]).get('/app/a.js')!;
  assert.deepEqual(
    heat.map((l) => lineNote(l)),
    ['blocked 2.6 s in 3 stalls · max 2.3 s · CPU, GC', 'blocked 95 ms once · sync I/O'],
  );
});

test('the note and the heat name the operation and package; a starved stall heats no line', () => {
  const pkg = { name: 'lowdb', version: '1.0.0', chain: [] };
  const at: [string, number, string] = ['/app/store.js', 33, 'save'];
  const heat = computeLineHeat([
    { ...stall(0, 300, 'cpu', at), operation: 'JSON.stringify', package: pkg },
    { ...stall(400, 100, 'sync-io', at), operation: 'fs.writeFileSync', package: pkg },
    { ...stall(800, 900, 'starved', at), starvation: { waitShare: 0.9 } },
  ]).get('/app/store.js')!;
  assert.equal(heat.length, 1);
  assert.equal(heat[0]!.totalMs, 400, 'the starved stall is not counted');
  assert.equal(
    lineNote(heat[0]!),
    'JSON.stringify in lowdb@1.0.0 · blocked 400 ms in 2 stalls · max 300 ms · CPU, sync I/O',
  );
});

test('a loop in the blamed function itself: the note names no operation beside it', () => {
  const heat = computeLineHeat([
    { ...stall(0, 150, 'cpu', ['/app/a.js', 23, 'spinFor']), operation: 'spinFor' },
  ]).get('/app/a.js')!;
  assert.equal(lineNote(heat[0]!), 'blocked 150 ms once · CPU');
});
