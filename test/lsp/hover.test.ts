import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol/node';
import { serverOnFixture } from './client';

const tpl = [
  "import * as fs from 'node:fs';",
  'export function loadTemplate(name: string) {',
  "  return fs.readFileSync(name, 'utf8');",
  '}',
  '',
].join('\n');
const app = [
  "import { loadTemplate } from './tpl';",
  "import { pbkdf2Sync } from 'node:crypto';",
  'export async function serve(user: string) {',
  "  const key = pbkdf2Sync(user, 'salt', 100000, 64, 'sha512');",
  "  return loadTemplate('index.html') + key.length;",
  '}',
  '',
].join('\n');

describe('hover', () => {
  const s = serverOnFixture({ 'tpl.ts': tpl, 'app.ts': app });
  before(async () => {
    await s.lsp.open(s.fx.uri('app.ts'), app);
    await s.lsp.waitForDiagnostics(s.fx.uri('app.ts'), (d) => d.length === 2);
  });

  const text = async (line: number, character: number): Promise<string | undefined> => {
    const h = await s.lsp.hover(s.fx.uri('app.ts'), line, character);
    return h ? (h.contents as MarkupContent).value : undefined;
  };

  test('a direct call: why it blocks, typical cost, replacement, rule link', async () => {
    const md = (await text(3, 16))!;
    assert.ok(md, 'hover on pbkdf2Sync');
    assert.match(md, /`sync-crypto`\]\([^)]*docs\/rules\/sync-crypto\.md\)/);
    assert.match(md, /pbkdf2Sync.* blocks the event loop/);
    assert.match(md, /\*\*Why:\*\* \S/);
    assert.match(md, /\*\*Typical cost:\*\* .*pbkdf2/);
    assert.match(md, /\*\*Instead:\*\* .*pbkdf2/);
    assert.doesNotMatch(md, /Chain/);
  });

  test('an indirect call: the chain with a link to each step', async () => {
    const md = (await text(4, 10))!;
    assert.ok(md, 'hover on loadTemplate(...)');
    assert.match(md, /\*\*Chain:\*\*/);
    const links = [...md.matchAll(/\[([^\]]+)\]\((file:[^)]+\.ts#[^)]+)\)/g)].map((m) => [
      m[1],
      m[2]!.replace(/^.*\//, ''),
    ]);
    assert.deepEqual(links, [
      ['app.ts:5', 'app.ts#L5,10'],
      ['tpl.ts:3', 'tpl.ts#L3,10'],
    ]);
  });

  test('no hover away from flagged calls', async () => {
    assert.equal(await text(0, 3), undefined);
    assert.equal(await text(2, 5), undefined);
  });
});
