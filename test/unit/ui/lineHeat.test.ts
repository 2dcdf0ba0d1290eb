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
