import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import {
  ConfigError,
  findConfigFile,
  loadConfig,
  loadConfigFile,
  withAbsoluteIgnores,
} from '../../../server/src/analysis/config';

function tree(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'loop-lens-config-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err: unknown) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ConfigError, nothing was thrown');
}

describe('config discovery', () => {
  test('finds the nearest .looplensrc.json walking up from a nested folder', () => {
    const dir = tree({ '.looplensrc.json': { ignore: ['gen/**'] }, 'a/b/c/x.ts': '' });
    const loaded = loadConfig({ from: join(dir, 'a', 'b', 'c') });
    assert.equal(loaded.file, join(dir, '.looplensrc.json'));
    assert.equal(loaded.dir, dir);
    assert.deepEqual(loaded.config, { ignore: ['gen/**'] });
  });

  test('starting from a file uses its folder', () => {
    const dir = tree({ 'pkg/.looplensrc.json': { followCalls: false }, 'pkg/src/x.ts': '' });
    const loaded = loadConfig({ from: join(dir, 'pkg', 'src', 'x.ts') });
    assert.deepEqual(loaded.config, { followCalls: false });
  });

  test('reads the loopLens key of package.json; a package.json without it does not stop the walk', () => {
    const dir = tree({
      'package.json': { name: 'root', loopLens: { severity: { 'sync-fs': 'error' } } },
      'packages/app/package.json': { name: 'app' },
      'packages/app/src/x.ts': '',
    });
    const loaded = loadConfig({ from: join(dir, 'packages', 'app', 'src') });
    assert.equal(loaded.file, join(dir, 'package.json'));
    assert.deepEqual(loaded.config, { severity: { 'sync-fs': 'error' } });
  });

  test('.looplensrc.json wins over package.json in the same folder', () => {
    const dir = tree({
      'package.json': { loopLens: { threadpool: false } },
      '.looplensrc.json': { threadpool: true },
    });
    assert.equal(findConfigFile(dir), join(dir, '.looplensrc.json'));
    assert.deepEqual(loadConfig({ from: dir }).config, { threadpool: true });
  });

  test('no config anywhere gives an empty config rooted at the start folder', () => {
    const dir = tree({ 'src/x.ts': '' });
    // tmpdir itself could hold a stray config; only assert when the walk found none.
    const loaded = loadConfig({ from: join(dir, 'src') });
    if (loaded.file === undefined) {
      assert.deepEqual(loaded.config, {});
      assert.equal(loaded.dir, join(dir, 'src'));
    }
  });

  test('--config uses exactly that file, even a package.json elsewhere', () => {
    const dir = tree({
      '.looplensrc.json': { threadpool: false },
      'configs/team.json': { blocking: [{ module: './db', name: 'querySync' }] },
    });
    const loaded = loadConfig({ from: dir, configPath: join(dir, 'configs', 'team.json') });
    assert.equal(loaded.dir, join(dir, 'configs'));
    assert.deepEqual(loaded.config.blocking, [{ module: './db', name: 'querySync' }]);
  });
});

describe('config errors name the file and the bad key', () => {
  test('a missing --config file', () => {
    const dir = tree({});
    const err = configError(() => loadConfig({ from: dir, configPath: join(dir, 'nope.json') }));
    assert.match(err.message, /nope\.json: config file not found/);
  });

  test('invalid JSON', () => {
    const dir = tree({ '.looplensrc.json': '{ "ignore": [ }' });
    const err = configError(() => loadConfig({ from: dir }));
    assert.ok(err.message.startsWith(join(dir, '.looplensrc.json')), err.message);
    assert.match(err.message, /invalid JSON/);
  });

  test('an unknown top-level key (a typo) is an error, not silently ignored', () => {
    const dir = tree({ '.looplensrc.json': { severty: {} } });
    const err = configError(() => loadConfig({ from: dir }));
    assert.equal(err.key, 'severty');
    assert.match(err.message, /"severty" is not a known key/);
  });

  test('a bad severity level and an unknown rule id', () => {
    const file = join(tree({ 'a.json': { severity: { 'sync-fs': 'warn' } } }), 'a.json');
    const level = configError(() => loadConfigFile(file));
    assert.equal(level.key, 'severity.sync-fs');
    assert.match(level.message, /must be one of error, warning, info, off \(got "warn"\)/);
    const rule = join(tree({ 'b.json': { severity: { 'no-such-rule': 'off' } } }), 'b.json');
    assert.equal(configError(() => loadConfigFile(rule)).key, 'severity.no-such-rule');
  });

  test('categories are accepted as severity keys', () => {
    const file = join(
      tree({ 'c.json': { severity: { threadpool: 'off', cpu: 'error' } } }),
      'c.json',
    );
    assert.deepEqual(loadConfigFile(file).severity, { threadpool: 'off', cpu: 'error' });
  });

  test('ignore must be strings; booleans must be booleans', () => {
    const a = join(tree({ 'a.json': { ignore: ['ok/**', 3] } }), 'a.json');
    assert.equal(configError(() => loadConfigFile(a)).key, 'ignore[1]');
    const b = join(tree({ 'b.json': { followCalls: 'yes' } }), 'b.json');
    assert.equal(configError(() => loadConfigFile(b)).key, 'followCalls');
    const c = join(tree({ 'c.json': { followDependencies: 1 } }), 'c.json');
    assert.equal(configError(() => loadConfigFile(c)).key, 'followDependencies');
    const d = join(tree({ 'd.json': { followDependencies: false } }), 'd.json');
    assert.deepEqual(loadConfigFile(d), { followDependencies: false });
  });

  test('blocking entries need a name and a known category', () => {
    const a = join(tree({ 'a.json': { blocking: [{ module: 'db' }] } }), 'a.json');
    assert.equal(configError(() => loadConfigFile(a)).key, 'blocking[0].name');
    const b = join(tree({ 'b.json': { blocking: [{ name: 'x', category: 'slow' }] } }), 'b.json');
    assert.equal(configError(() => loadConfigFile(b)).key, 'blocking[0].category');
    const c = join(tree({ 'c.json': { blocking: [{ name: 'x', modul: 'db' }] } }), 'c.json');
    assert.equal(configError(() => loadConfigFile(c)).key, 'blocking[0].modul');
  });

  test('errors inside package.json name the loopLens key path', () => {
    const dir = tree({ 'package.json': { name: 'p', loopLens: { ignore: 'dist' } } });
    const err = configError(() => loadConfig({ from: dir }));
    assert.equal(err.key, 'loopLens.ignore');
    assert.ok(err.message.includes(join(dir, 'package.json')));
  });

  test('a broken package.json above the project does not break discovery', () => {
    const dir = tree({
      'package.json': '{ not json',
      'app/.looplensrc.json': { threadpool: false },
    });
    assert.deepEqual(loadConfig({ from: join(dir, 'app') }).config, { threadpool: false });
    const none = loadConfig({ from: dir });
    assert.notEqual(none.file, join(dir, 'package.json'));
  });
});

describe('ignore globs are relative to the config file', () => {
  test('withAbsoluteIgnores anchors globs at the config folder, keeping negation', () => {
    const dir = tree({
      '.looplensrc.json': { ignore: ['src/gen/**', './legacy/*.js', '!src/gen/keep.ts'] },
    });
    const loaded = loadConfig({ from: dir });
    assert.deepEqual(withAbsoluteIgnores(loaded).ignore, [
      `${dir}/src/gen/**`,
      `${dir}/legacy/*.js`,
      `!${dir}/src/gen/keep.ts`,
    ]);
    assert.equal(withAbsoluteIgnores({ config: {}, dir }).ignore, undefined);
  });
});
