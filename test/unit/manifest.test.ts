/**
 * One source for the manifest: package.json's contributions (commands, settings, launch.json
 * attributes) against their typed declarations (src/shared/commands.ts, src/shared/configKeys.ts,
 * src/debug/configuration.ts), both ways; and every setting is read by the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attachAttributes, launchAttributes } from '../../src/debug/configuration';
import { commandIds } from '../../src/shared/commands';
import { configDefaults } from '../../src/shared/configKeys';
import { normalizeSettings } from '../../server/src/settings';

interface Schema {
  type?: string;
  default?: unknown;
  enum?: unknown[];
}
const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    configuration: { properties: Record<string, Schema> };
    debuggers: Array<{
      configurationAttributes: Record<'attach' | 'launch', { properties: Record<string, Schema> }>;
    }>;
  };
};
const sorted = (xs: Iterable<string>) => [...xs].sort();

test('commands: package.json declares exactly the registered commands, each in the "Loop Lens" category', () => {
  const declared = pkg.contributes.commands;
  assert.deepEqual(sorted(declared.map((c) => c.command)), sorted(commandIds));
  for (const c of declared) {
    assert.equal(c.category, 'Loop Lens', c.command);
    assert.ok(c.title, c.command);
  }
});

test('settings: package.json declares exactly the typed keys, with the same defaults and types', () => {
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(sorted(Object.keys(props)), sorted(Object.keys(configDefaults)));
  for (const [key, value] of Object.entries(configDefaults) as Array<[string, unknown]>) {
    const schema = props[key]!;
    assert.deepEqual(schema.default, value, `default of ${key}`);
    const type = Array.isArray(value) ? 'array' : typeof value;
    assert.equal(schema.type, type, `type of ${key}`);
    if (schema.enum) assert.ok(schema.enum.includes(value), `${key}: default in its enum`);
  }
});

/** A valid value of a setting other than its default. */
function otherValue(schema: Schema): unknown {
  if (schema.enum) return schema.enum.find((v) => v !== schema.default);
  if (schema.type === 'boolean') return !schema.default;
  if (schema.type === 'array') return ['generated/**'];
  if (schema.type === 'number') return Number(schema.default) + 1;
  throw new Error(`no other value for a ${schema.type}`);
}

test('settings: each one is read by the server (a non-default value changes what it uses)', () => {
  const props = pkg.contributes.configuration.properties;
  for (const [key, schema] of Object.entries(props)) {
    const path = key.replace(/^loopLens\./, '').split('.');
    const value = otherValue(schema);
    const raw: Record<string, unknown> = {};
    let at = raw;
    path.slice(0, -1).forEach((p) => (at = at[p] = {}));
    at[path[path.length - 1]!] = value;
    let read: unknown = normalizeSettings(raw, {});
    for (const p of path) read = (read as Record<string, unknown>)[p];
    assert.deepEqual(read, value, `${key} is not read`);
  }
});

test('launch.json: package.json declares exactly the attach and launch attributes the adapter reads', () => {
  const attrs = pkg.contributes.debuggers[0]!.configurationAttributes;
  assert.deepEqual(
    sorted(Object.keys(attrs.attach.properties)),
    sorted(Object.keys(attachAttributes)),
  );
  assert.deepEqual(
    sorted(Object.keys(attrs.launch.properties)),
    sorted(Object.keys(launchAttributes)),
  );
  for (const kind of ['attach', 'launch'] as const) {
    for (const [name, schema] of Object.entries(attrs[kind].properties)) {
      assert.ok(schema.type || schema.enum, `${kind}.${name} has a type`);
    }
  }
});
