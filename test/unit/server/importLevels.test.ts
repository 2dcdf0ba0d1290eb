import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextImports } from '../../../server/src/handlers/importLevels';

const graph: Record<string, string[]> = {
  'open.ts': ['a.ts', 'b.ts'],
  'a.ts': ['shared.ts', 'open.ts'],
  'b.ts': ['shared.ts', 'c.ts'],
  'c.ts': [],
  'shared.ts': ['a.ts'],
};
const importsOf = (f: string) => graph[f] ?? [];

test('a module imported by two files of a level is listed once', () => {
  const seen = new Set(['open.ts']);
  const first = nextImports(['open.ts'], importsOf, seen);
  assert.deepEqual(first, ['a.ts', 'b.ts']);
  assert.deepEqual(nextImports(first, importsOf, seen), ['shared.ts', 'c.ts']);
  assert.deepEqual(nextImports(['shared.ts', 'c.ts'], importsOf, seen), [], 'cycles end the walk');
  assert.deepEqual([...seen].sort(), ['a.ts', 'b.ts', 'c.ts', 'open.ts', 'shared.ts']);
});
