/**
 * The dependency fixture (test/fixtures/deps) laid out as an installed project in a temp folder:
 * `project/` at the root, each `packages/<name>` in `node_modules/<name>` (`_node_modules` folders
 * renamed to `node_modules`, which git would ignore in the repository).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const fixture = path.resolve(__dirname, '..', '..', 'fixtures', 'deps');

function copy(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const ent of fs.readdirSync(from, { withFileTypes: true })) {
    const target = path.join(to, ent.name === '_node_modules' ? 'node_modules' : ent.name);
    if (ent.isDirectory()) copy(path.join(from, ent.name), target);
    else fs.copyFileSync(path.join(from, ent.name), target);
  }
}

/** A fresh copy of the fixture project with its packages installed; returns its folder. */
export function installDepsFixture(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'loop-lens-deps-')));
  copy(path.join(fixture, 'project'), dir);
  copy(path.join(fixture, 'packages'), path.join(dir, 'node_modules'));
  return dir;
}

/** The folder holding the package summary cache of a fixture copy. */
export function cacheDir(dir: string): string {
  return path.join(dir, 'node_modules', '.cache', 'loop-lens');
}
