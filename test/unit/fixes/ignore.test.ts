import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeFixes, type Fix } from '../../../server/src/fixes';
import { applyChecked, findingAt, fixesAt } from './helpers';

const ignoreLine = (fixes: Fix[]) => fixes.find((f) => f.title.includes('on this line'));
const ignoreFile = (fixes: Fix[]) => fixes.find((f) => f.title.includes('in this file'))!;

describe('ignore fixes', () => {
  test('ignore this line: a comment above with the same indentation', () => {
    const text =
      "import fs from 'fs';\nexport function f() {\n    return fs.readFileSync('x');\n}\n";
    const fix = ignoreLine(fixesAt(text, 'fs.readFileSync'))!;
    assert.equal(fix.isPreferred, false);
    assert.equal(
      applyChecked(text, fix),
      "import fs from 'fs';\nexport function f() {\n    // loop-lens-ignore-next-line sync-fs\n    return fs.readFileSync('x');\n}\n",
    );
  });

  test('ignore this line adds the rule to an existing comment', () => {
    const text =
      'function f() {\n  // loop-lens-ignore-next-line sync-crypto\n  return fs.readFileSync(crypto.pbkdf2Sync());\n}\n';
    const fix = ignoreLine(fixesAt(text, 'fs.readFileSync'))!;
    assert.equal(
      applyChecked(text, fix, 'a.js'),
      'function f() {\n  // loop-lens-ignore-next-line sync-crypto, sync-fs\n  return fs.readFileSync(crypto.pbkdf2Sync());\n}\n',
    );
  });

  test('no ignore-line inside a multi-line template literal', () => {
    const text = 'async function f() {\n  return `a\n${fs.readFileSync("x")}`;\n}\n';
    assert.equal(ignoreLine(fixesAt(text, 'fs.readFileSync', 'a.js')), undefined);
  });

  test('ignore in this file: first line, or after a shebang; CRLF kept', () => {
    const text = "import fs from 'fs';\nfs.readFileSync('x');\n";
    assert.equal(
      applyChecked(text, ignoreFile(fixesAt(text, 'fs.readFileSync'))),
      "// loop-lens-ignore-file sync-fs\nimport fs from 'fs';\nfs.readFileSync('x');\n",
    );
    const shebang = "#!/usr/bin/env node\r\nconst fs = require('fs');\r\nfs.readFileSync('x');\r\n";
    assert.equal(
      applyChecked(shebang, ignoreFile(fixesAt(shebang, 'fs.readFileSync', 'a.js')), 'a.js'),
      "#!/usr/bin/env node\r\n// loop-lens-ignore-file sync-fs\r\nconst fs = require('fs');\r\nfs.readFileSync('x');\r\n",
    );
  });

  test('ignore in this file adds the rule to an existing file comment', () => {
    const text =
      "// loop-lens-ignore-file sync-crypto\nimport fs from 'fs';\nfs.readFileSync('x');\n";
    assert.equal(
      applyChecked(text, ignoreFile(fixesAt(text, 'fs.readFileSync'))),
      "// loop-lens-ignore-file sync-crypto, sync-fs\nimport fs from 'fs';\nfs.readFileSync('x');\n",
    );
  });

  test('an indirect finding (chain) gets only the ignore fixes', () => {
    const text =
      "import * as fs from 'fs';\nexport async function serve() {\n  return fs.readFileSync('x');\n}\n";
    const finding = { ...findingAt(text, 'fs.readFileSync') };
    assert.equal(
      computeFixes({ text, fileName: 'a.ts', finding }).filter((f) => f.kind === 'rewrite').length,
      1,
    );
    finding.chain = [{ file: '/w/a.ts', line: 3, column: 10, name: 'fs.readFileSync' }];
    const kinds = computeFixes({ text, fileName: 'a.ts', finding }).map((f) => f.kind);
    assert.deepEqual(kinds, ['ignore', 'ignore']);
  });
});
