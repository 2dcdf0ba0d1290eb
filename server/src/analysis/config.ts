/**
 * Finds, reads and validates a Loop Lens config: `.looplensrc.json`, or the `loopLens` key of a
 * `package.json`, the nearest one walking up from a folder; or an explicit `--config` file.
 * Shared by the CLI and the language server. No LSP, no `vscode`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { ruleIds } from './rules';
import type { Category, ExtraBlockingApi, LoopLensConfig, SeveritySetting } from './types';

/** The file name searched for in every folder, before `package.json`. */
export const CONFIG_FILE_NAME = '.looplensrc.json';
/** The key of `package.json` that may hold the config. */
export const PACKAGE_JSON_KEY = 'loopLens';

/** A config that cannot be used. The message names the file and, where known, the bad key. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A validated config and where it came from. `file` is absent when no config exists. */
export interface LoadedConfig {
  config: LoopLensConfig;
  /** The file the config was read from (a `.looplensrc.json` or a `package.json`). */
  file?: string;
  /** The folder `ignore` globs are relative to: the config file's folder, else the start folder. */
  dir: string;
}

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'info', 'off'];
const CATEGORIES: readonly Category[] = ['sync-io', 'cpu', 'threadpool'];
const TOP_KEYS = [
  '$schema',
  'severity',
  'ignore',
  'blocking',
  'followCalls',
  'followDependencies',
  'threadpool',
];
const BLOCKING_KEYS = ['module', 'name', 'category', 'why', 'replacement'];

/**
 * The nearest config file at or above `startDir`: in each folder `.looplensrc.json` wins, then a
 * `package.json` that has a `loopLens` key (a `package.json` without it does not stop the walk).
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const rc = join(dir, CONFIG_FILE_NAME);
    if (isFile(rc)) return rc;
    const pkg = join(dir, 'package.json');
    if (isFile(pkg) && packageHasKey(pkg)) return pkg;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Loads the config for a run. With `configPath` that file is used (it must exist); otherwise the
 * nearest config above `from` (a file or folder), or an empty config when there is none.
 * Throws {@link ConfigError} for a missing, unreadable, malformed or invalid file.
 */
export function loadConfig(options: { from: string; configPath?: string }): LoadedConfig {
  const from = resolve(options.from);
  const startDir = isFile(from) ? dirname(from) : from;
  if (options.configPath !== undefined) {
    const file = resolve(options.configPath);
    if (!existsSync(file)) throw new ConfigError(`${file}: config file not found`, file);
    return { config: loadConfigFile(file), file, dir: dirname(file) };
  }
  const file = findConfigFile(startDir);
  if (file === undefined) return { config: {}, dir: startDir };
  return { config: loadConfigFile(file), file, dir: dirname(file) };
}

/**
 * The config with its `ignore` globs made absolute, anchored at the config's folder. The engine
 * matches a glob against both the path relative to the analysed root and the absolute path, so
 * an absolute glob keeps meaning "relative to the config file" whatever folder is analysed
 * (`loop-lens check src` with `"ignore": ["src/gen/**"]` in the project's root config).
 */
export function withAbsoluteIgnores(loaded: LoadedConfig): LoopLensConfig {
  const { config, dir } = loaded;
  if (!config.ignore) return config;
  const base = dir
    .split(sep)
    .join('/')
    .replace(/[*?[\]{}()!+@\\]/g, '\\$&');
  const anchor = (glob: string): string => {
    const negated = glob.startsWith('!');
    const body = negated ? glob.slice(1) : glob;
    const abs = body.startsWith('/') ? body : `${base}/${body.replace(/^\.\//, '')}`;
    return negated ? `!${abs}` : abs;
  };
  return { ...config, ignore: config.ignore.map(anchor) };
}

/**
 * Reads and validates one config file. A `package.json` contributes its `loopLens` key (empty
 * config when absent); any other file is the config object itself.
 */
export function loadConfigFile(file: string): LoopLensConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err: unknown) {
    throw new ConfigError(`${file}: cannot read config: ${errorText(err)}`, file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err: unknown) {
    throw new ConfigError(`${file}: invalid JSON: ${errorText(err)}`, file);
  }
  if (isPackageJson(file)) {
    if (!isRecord(raw)) throw new ConfigError(`${file}: package.json is not an object`, file);
    const value = raw[PACKAGE_JSON_KEY];
    return value === undefined ? {} : validateConfig(value, file, PACKAGE_JSON_KEY);
  }
  return validateConfig(raw, file);
}

/**
 * Checks a parsed config value and returns it typed. `prefix` names the enclosing key in error
 * messages (e.g. `loopLens` inside package.json). Unknown keys are errors: a typo would otherwise
 * silently do nothing.
 */
export function validateConfig(raw: unknown, file: string, prefix?: string): LoopLensConfig {
  const at = (key: string): string => (prefix ? `${prefix}.${key}` : key);
  const fail = (key: string, what: string): never => {
    throw new ConfigError(`${file}: "${at(key)}" ${what}`, file, at(key));
  };
  if (!isRecord(raw)) {
    throw new ConfigError(
      `${file}: ${prefix ? `"${prefix}"` : 'the config'} must be an object`,
      file,
      prefix,
    );
  }
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.includes(key)) {
      fail(key, `is not a known key (known: ${TOP_KEYS.slice(1).join(', ')})`);
    }
  }
  const config: LoopLensConfig = {};
  if (raw.severity !== undefined) config.severity = checkSeverity(raw.severity, fail);
  if (raw.ignore !== undefined) {
    if (!Array.isArray(raw.ignore)) fail('ignore', 'must be an array of glob strings');
    const globs = raw.ignore as unknown[];
    globs.forEach((g, i) => {
      if (typeof g !== 'string' || g === '') {
        fail(`ignore[${i}]`, 'must be a non-empty glob string');
      }
    });
    config.ignore = globs as string[];
  }
  if (raw.blocking !== undefined) config.blocking = checkBlocking(raw.blocking, fail);
  for (const key of ['followCalls', 'followDependencies', 'threadpool'] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== 'boolean') fail(key, `must be true or false (got ${show(raw[key])})`);
    config[key] = raw[key] as boolean;
  }
  return config;
}

type Fail = (key: string, what: string) => never;

function checkSeverity(value: unknown, fail: Fail): Record<string, SeveritySetting> {
  if (!isRecord(value)) return fail('severity', 'must be an object of rule id or category → level');
  const known: readonly string[] = [...ruleIds, ...CATEGORIES];
  for (const [rule, level] of Object.entries(value)) {
    if (!known.includes(rule)) {
      fail(`severity.${rule}`, `is neither a rule id nor a category (known: ${known.join(', ')})`);
    }
    if (!SEVERITIES.includes(level as SeveritySetting)) {
      fail(`severity.${rule}`, `must be one of ${SEVERITIES.join(', ')} (got ${show(level)})`);
    }
  }
  return value as Record<string, SeveritySetting>;
}

function checkBlocking(value: unknown, fail: Fail): ExtraBlockingApi[] {
  if (!Array.isArray(value)) return fail('blocking', 'must be an array of { module?, name, ... }');
  return value.map((entry: unknown, i): ExtraBlockingApi => {
    const key = `blocking[${i}]`;
    if (!isRecord(entry)) return fail(key, 'must be an object with at least "name"');
    for (const k of Object.keys(entry)) {
      if (!BLOCKING_KEYS.includes(k)) {
        fail(`${key}.${k}`, `is not a known key (known: ${BLOCKING_KEYS.join(', ')})`);
      }
    }
    if (typeof entry.name !== 'string' || entry.name === '') {
      fail(`${key}.name`, 'must be a non-empty string');
    }
    for (const k of ['module', 'why', 'replacement']) {
      if (entry[k] !== undefined && typeof entry[k] !== 'string') {
        fail(`${key}.${k}`, 'must be a string');
      }
    }
    if (entry.category !== undefined && !CATEGORIES.includes(entry.category as Category)) {
      fail(
        `${key}.category`,
        `must be one of ${CATEGORIES.join(', ')} (got ${show(entry.category)})`,
      );
    }
    return entry as unknown as ExtraBlockingApi;
  });
}

function packageHasKey(file: string): boolean {
  try {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isRecord(raw) && raw[PACKAGE_JSON_KEY] !== undefined;
  } catch {
    // A broken package.json that is not ours to judge: keep walking instead of failing the run.
    return false;
  }
}

function isPackageJson(file: string): boolean {
  return /(^|[\\/])package\.json$/.test(file);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
