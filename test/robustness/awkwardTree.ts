/**
 * A project folder that is awkward for `loop-lens check`: a symlink loop, an unreadable folder, a
 * 50 MB file, a file with a NUL byte, 10,000 files in one folder, and one ordinary file with a
 * real finding (so a run that silently gave up would show). Used by the runtime robustness test
 * and `npm run bench -- robustness`.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The blocking call every run must still find, in app.js. */
export const APP = [
  "const fs = require('node:fs');",
  "require('node:http').createServer((req, res) => {",
  "  res.end(fs.readFileSync('page.html'));",
  '}).listen(0);',
  '',
].join('\n');

export interface AwkwardTree {
  root: string;
  /** How many of the 10,000 small files there are (each a module with no finding). */
  manyFiles: number;
  /** Undoes the permissions, so the folder can be removed. */
  restore(): void;
}

export function makeAwkwardTree(root: string, manyFiles = 10_000): AwkwardTree {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'app.js'), APP);
  // Symlink loops: a folder linking to itself and to its parent.
  mkdirSync(join(root, 'loop', 'inner'), { recursive: true });
  symlinkSync('.', join(root, 'loop', 'self'));
  symlinkSync('..', join(root, 'loop', 'inner', 'up'));
  symlinkSync('missing-target.js', join(root, 'loop', 'dangling.js'));
  // Unreadable folder (root reads it anyway: then it is just one more folder).
  const locked = join(root, 'locked');
  mkdirSync(locked);
  writeFileSync(join(locked, 'secret.js'), "require('fs').readFileSync('x');\n");
  chmodSync(locked, 0o000);
  // 50 MB: one statement per line, valid JavaScript.
  const line = 'exports.v = (exports.v || 0) + 1; // padding padding padding padding padding\n';
  writeFileSync(join(root, 'big.js'), line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
  // A NUL byte inside otherwise valid code.
  writeFileSync(join(root, 'nul.js'), `const a = 1;\n// \u0000 here\n${APP}`);
  const many = join(root, 'many');
  mkdirSync(many);
  for (let i = 0; i < manyFiles; i++) {
    writeFileSync(join(many, `m${i}.js`), `exports.f${i} = (x) => x + ${i};\n`);
  }
  return { root, manyFiles, restore: () => chmodSync(locked, 0o755) };
}
