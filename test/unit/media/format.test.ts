import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  baseName,
  formatBytes,
  formatMs,
  formatOffset,
  formatPercent,
  shortDir,
} from '../../../media/src/format';

test('formats durations, sizes and paths for a narrow sidebar', () => {
  assert.equal(formatMs(4.25), '4.3 ms');
  assert.equal(formatMs(230.4), '230 ms');
  assert.equal(formatMs(1234), '1.23 s');
  assert.equal(formatMs(125_000), '2 min 5 s');
  assert.equal(formatOffset(12_500, 30_000), '13 s');
  assert.equal(formatOffset(5_000, 11_000), '5 s');
  assert.equal(formatOffset(2_500, 11_000), '2.5 s');
  assert.equal(formatOffset(125_000, 300_000), '2:05');
  assert.equal(formatBytes(45 * 1024 * 1024), '45 MB');
  assert.equal(formatPercent(0.734), '73 %');
  assert.equal(baseName('/srv/app/src/routes/login.ts'), 'login.ts');
  assert.equal(baseName('file:///C:/app/x.js?v=1'), 'x.js');
  assert.equal(shortDir('/srv/app/src/routes/login.ts'), '…/src/routes');
  assert.equal(shortDir('/a/b.ts'), 'a');
});
