/** Every rule has a page in docs/rules, and each page's examples behave as the page says. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleIds, type LoopLensConfig } from '../../../server/src/analysis/index';
import { checkOne } from './helpers';

const docs = path.join(__dirname, '../../../docs/rules');

function block(md: string, after: string): string {
  const i = md.indexOf(after);
  assert.ok(i >= 0, `section "${after}" exists`);
  const m = /```(?:js|json)\n([\s\S]*?)```/.exec(md.slice(i));
  assert.ok(m, `a code block follows "${after}"`);
  return m[1]!;
}

for (const id of ruleIds) {
  test(`docs/rules/${id}.md: sections, and its examples are (not) reported`, () => {
    const md = fs.readFileSync(path.join(docs, `${id}.md`), 'utf8');
    for (const h of ['## What it finds', '## Why it matters', '## How to fix it', '## Examples']) {
      assert.ok(md.includes(h), `${id}.md has ${h}`);
    }
    const config: LoopLensConfig | undefined =
      id === 'custom-blocking'
        ? (JSON.parse(block(md, '## What it finds')) as LoopLensConfig)
        : undefined;
    const bad = checkOne(block(md, 'Reported:'), 'example.mjs', config);
    assert.ok(
      bad.findings.some((f) => f.rule === id),
      `the "Reported" example of ${id} is reported`,
    );
    const good = checkOne(block(md, 'Fine:'), 'example.mjs', config);
    assert.deepEqual(
      good.findings.filter((f) => f.rule === id).map((f) => f.line),
      [],
      `the "Fine" example of ${id}`,
    );
  });
}
