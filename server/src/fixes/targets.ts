/**
 * The non-blocking twin of each blocking API a quick fix can rewrite, as data: which module,
 * which name, and how it is called (through `fs.promises`, directly, or through `promisify`).
 */
import type { ResolvedCallee } from './bindings';

/** How the asynchronous replacement is reached. */
export type TargetShape =
  /** `fs.promises.x(...)` or `x` imported from `fs/promises`. */
  | 'fsPromises'
  /** The same module's promise-returning `x(...)` (fs-extra, bcrypt). */
  | 'direct'
  /** `promisify(module.x)(...)` for callback APIs (child_process, zlib, crypto). */
  | 'promisify';

/** One rewrite target. */
export interface AsyncTarget {
  shape: TargetShape;
  /** The module the async function comes from (`fs/promises` for `fsPromises`). */
  module: string;
  asyncName: string;
  /** Property of the awaited result that matches the sync call's value (`stdout`). */
  resultProp?: string;
  /** Whether the rewrite returns the same value and throws the same way (→ `isPreferred`). */
  safe: boolean;
}

/** `fs.promises` functions whose `xSync` twin takes the same arguments and returns the same. */
const FS_PROMISES = new Set(
  (
    'access appendFile chmod chown copyFile cp lchown lutimes link lstat mkdir mkdtemp opendir ' +
    'readdir readFile readlink realpath rename rm rmdir stat statfs symlink truncate unlink utimes ' +
    'writeFile'
  ).split(' '),
);

const CRYPTO_SYNC = new Set(
  'pbkdf2 scrypt generateKeyPair generateKey generatePrime checkPrime hkdf randomFill'.split(' '),
);
/** Crypto calls that block when called without a callback (no `Sync` suffix). */
const CRYPTO_NO_CALLBACK = new Set(['randomBytes', 'randomInt', 'sign', 'verify']);
const BCRYPT = new Map([
  ['hashSync', 'hash'],
  ['compareSync', 'compare'],
  ['genSaltSync', 'genSalt'],
]);

/** The rewrite target of a resolved call, or undefined when there is no faithful one. */
export function targetFor(callee: ResolvedCallee, argsText: string): AsyncTarget | undefined {
  const { module, name } = callee;
  const base = name.endsWith('Sync') ? name.slice(0, -4) : undefined;
  if (module === 'fs' || module === 'graceful-fs') {
    if (!base || !FS_PROMISES.has(base)) return undefined;
    // `statSync(p, { throwIfNoEntry: false })` returns undefined; `fs.promises.stat` rejects.
    const safe = !/throwIfNoEntry/.test(argsText);
    return { shape: 'fsPromises', module: 'fs/promises', asyncName: base, safe };
  }
  if (module === 'fs-extra') {
    if (!base || !FS_PROMISES.has(base)) return undefined;
    return { shape: 'direct', module, asyncName: base, safe: true };
  }
  if (module === 'child_process') {
    if (name !== 'execSync' && name !== 'execFileSync') return undefined;
    // exec yields strings where execSync yields a Buffer, and has no `stdio` option: not exact.
    return { shape: 'promisify', module, asyncName: base!, resultProp: 'stdout', safe: false };
  }
  if (module === 'zlib') {
    if (!base) return undefined;
    return { shape: 'promisify', module, asyncName: base, safe: true };
  }
  if (module === 'crypto') {
    if (base && CRYPTO_SYNC.has(base)) {
      return { shape: 'promisify', module, asyncName: base, safe: true };
    }
    if (CRYPTO_NO_CALLBACK.has(name)) {
      return { shape: 'promisify', module, asyncName: name, safe: true };
    }
    return undefined;
  }
  if (module === 'bcrypt' || module === 'bcryptjs') {
    const asyncName = BCRYPT.get(name);
    return asyncName ? { shape: 'direct', module, asyncName, safe: true } : undefined;
  }
  return undefined;
}
