/**
 * The catalog of blocking APIs, as data. Each entry names the module(s), the export paths, the rule,
 * why the call blocks the event loop and what to call instead.
 *
 * Export paths are dot-joined segments as the resolver produces them: `readFileSync`,
 * `promises.readFile`, `()` for "the result of calling it" (so `new Database(f).exec` is
 * `().exec`), and an empty string for the module value itself (`require('sync-request')(...)`).
 * A name ending in `*` matches any export path with that prefix and `*Sync` any name ending in Sync.
 */
import type { Category, Severity } from './types';
import type { RuleId } from './rules';

export interface CatalogEntry {
  /** Stable key, e.g. `fs-sync`. */
  id: string;
  /** Module specifiers without the `node:` prefix; `<global>` for globals such as Atomics. */
  modules: readonly string[];
  names: readonly string[];
  rule: RuleId;
  /** Overrides the rule's default category. */
  category?: Category;
  /** Overrides the rule's default severity. */
  severity?: Severity;
  /** How a person writes the API: `{name}` is replaced by the matched export path. */
  label: string;
  why: string;
  /** The non-blocking replacement; `{base}` is the name without its `Sync` suffix. */
  replacement: string;
  /** Blocking only when called without a trailing callback (crypto.sign, randomBytes). */
  onlyWithoutCallback?: boolean;
  /** Per-name replacements where `{base}` does not fit. */
  replacements?: Readonly<Record<string, string>>;
  /** Per-name labels where the template does not fit. */
  labels?: Readonly<Record<string, string>>;
  /** With `onlyWithoutCallback`: the argument index a callback takes (sign: 3). */
  callbackIndex?: Readonly<Record<string, number>>;
}

const fsLike = ['fs', 'fs-extra', 'graceful-fs', 'original-fs'];

/** `fs` sync functions of Node 20, listed so the catalog is readable; any `*Sync` matches too. */
export const fsSyncNames = [
  'accessSync',
  'appendFileSync',
  'chmodSync',
  'chownSync',
  'closeSync',
  'copyFileSync',
  'cpSync',
  'existsSync',
  'fchmodSync',
  'fchownSync',
  'fdatasyncSync',
  'fstatSync',
  'fsyncSync',
  'ftruncateSync',
  'futimesSync',
  'globSync',
  'lchmodSync',
  'lchownSync',
  'linkSync',
  'lstatSync',
  'lutimesSync',
  'mkdirSync',
  'mkdtempSync',
  'opendirSync',
  'openSync',
  'readdirSync',
  'readFileSync',
  'readlinkSync',
  'readSync',
  'readvSync',
  'realpathSync',
  'realpathSync.native',
  'renameSync',
  'rmdirSync',
  'rmSync',
  'statSync',
  'statfsSync',
  'symlinkSync',
  'truncateSync',
  'unlinkSync',
  'utimesSync',
  'writeFileSync',
  'writeSync',
  'writevSync',
  // fs-extra
  'copySync',
  'emptyDirSync',
  'emptydirSync',
  'ensureFileSync',
  'createFileSync',
  'ensureDirSync',
  'mkdirsSync',
  'mkdirpSync',
  'ensureLinkSync',
  'createLinkSync',
  'ensureSymlinkSync',
  'createSymlinkSync',
  'moveSync',
  'outputFileSync',
  'outputJsonSync',
  'outputJSONSync',
  'pathExistsSync',
  'readJsonSync',
  'readJSONSync',
  'removeSync',
  'writeJsonSync',
  'writeJSONSync',
  '*Sync',
] as const;

/** Blocking APIs. Order matters only for readability. */
export const catalog: readonly CatalogEntry[] = [
  {
    id: 'fs-sync',
    modules: fsLike,
    names: fsSyncNames,
    rule: 'sync-fs',
    label: 'fs.{name}',
    why: 'synchronous file-system calls stop the event loop until the disk answers',
    replacement: 'fs.promises.{base} (or the callback form fs.{base})',
    replacements: {
      existsSync: 'fs.promises.access or fs.promises.stat',
      'realpathSync.native': 'fs.promises.realpath',
    },
  },
  {
    id: 'child-process-sync',
    modules: ['child_process'],
    names: ['execSync', 'execFileSync', 'spawnSync'],
    rule: 'sync-child-process',
    label: 'child_process.{name}',
    why: 'the event loop waits until the child process exits',
    replacement: 'child_process.{base} with a callback, or util.promisify(child_process.{base})',
  },
  {
    id: 'zlib-sync',
    modules: ['zlib'],
    names: [
      'deflateSync',
      'deflateRawSync',
      'gzipSync',
      'gunzipSync',
      'inflateSync',
      'inflateRawSync',
      'unzipSync',
      'brotliCompressSync',
      'brotliDecompressSync',
      '*Sync',
    ],
    rule: 'sync-zlib',
    label: 'zlib.{name}',
    why: 'compression runs on the main thread and takes CPU time proportional to the data',
    replacement: 'zlib.{base} (runs on the libuv threadpool) or a zlib stream',
  },
  {
    id: 'crypto-sync',
    modules: ['crypto'],
    names: [
      'pbkdf2Sync',
      'scryptSync',
      'generateKeyPairSync',
      'generateKeySync',
      'generatePrimeSync',
      'checkPrimeSync',
      'hkdfSync',
      'randomFillSync',
    ],
    rule: 'sync-crypto',
    label: 'crypto.{name}',
    why: 'key derivation and key generation are deliberately slow CPU work on the main thread',
    replacement: 'crypto.{base} with a callback (runs on the libuv threadpool)',
  },
  {
    id: 'crypto-sign',
    modules: ['crypto'],
    names: ['sign', 'verify'],
    rule: 'sync-crypto',
    label: 'crypto.{name}',
    why: 'without a callback, crypto.{name} does the public-key operation on the main thread',
    replacement: 'crypto.{name}(algorithm, data, key, callback)',
    onlyWithoutCallback: true,
    callbackIndex: { sign: 3, verify: 4 },
  },
  {
    id: 'crypto-random',
    modules: ['crypto'],
    names: ['randomBytes', 'randomInt'],
    rule: 'sync-random',
    label: 'crypto.{name}',
    why: 'without a callback it waits for the system entropy source on the main thread',
    replacement: 'crypto.{name} with a callback for large sizes (small ones are cheap)',
    onlyWithoutCallback: true,
    callbackIndex: { randomBytes: 1 },
  },
  {
    id: 'atomics-wait',
    modules: ['<global>'],
    names: ['Atomics.wait'],
    rule: 'atomics-wait',
    label: '{name}',
    why: 'Atomics.wait suspends the whole thread until another thread notifies it',
    replacement: 'Atomics.waitAsync, or wait only inside a worker thread',
  },
  {
    id: 'better-sqlite3',
    modules: ['better-sqlite3'],
    names: [
      '().exec',
      '().pragma',
      '().prepare().run',
      '().prepare().get',
      '().prepare().all',
      '().prepare().iterate',
      '().transaction()',
      '().backup',
    ],
    rule: 'blocking-library',
    label: 'db{name}',
    why: 'better-sqlite3 is synchronous by design: every query holds the event loop until SQLite returns',
    replacement: 'run the queries in a worker thread, or use an asynchronous driver',
  },
  {
    id: 'bcrypt-sync',
    modules: ['bcrypt', 'bcryptjs'],
    names: ['hashSync', 'compareSync', 'genSaltSync'],
    rule: 'blocking-library',
    category: 'cpu',
    label: 'bcrypt.{name}',
    why: 'bcrypt is deliberately slow CPU work; the sync form does it on the main thread',
    replacement: 'await bcrypt.{base}(...)',
  },
  {
    id: 'glob-sync',
    modules: ['glob', 'fast-glob', 'tiny-glob', 'globby'],
    names: ['sync', 'globSync', 'globbySync', 'glob.sync'],
    rule: 'blocking-library',
    label: '{module}.{name}',
    why: 'a synchronous glob walks the directory tree with sync file-system calls',
    replacement: 'the promise form (await glob(...))',
  },
  {
    id: 'execa-sync',
    modules: ['execa'],
    names: ['sync', 'execaSync', 'commandSync', 'execaCommandSync', 'execa.sync', 'command.sync'],
    rule: 'blocking-library',
    label: 'execa.{name}',
    why: 'the sync form of execa waits for the child process to exit',
    replacement: 'await execa(...)',
  },
  {
    id: 'sync-request',
    modules: ['sync-request', 'sync-fetch'],
    names: ['', 'default'],
    rule: 'blocking-library',
    label: 'sync-request',
    why: 'sync-request blocks the thread for the whole HTTP round trip',
    replacement: 'fetch() or an asynchronous HTTP client',
  },
  {
    id: 'deasync',
    modules: ['deasync'],
    names: ['()', 'loopWhile', 'sleep', 'runLoopOnce'],
    rule: 'blocking-library',
    label: 'deasync.{name}',
    labels: { '()': 'deasync(fn)()' },
    why: 'deasync spins a nested event loop and makes the caller wait synchronously',
    replacement: 'await the asynchronous function',
  },
  {
    id: 'which-resolve-sync',
    modules: ['which', 'resolve', 'resolve/sync'],
    names: ['sync', ''],
    rule: 'blocking-library',
    label: '{module}.{name}',
    why: 'it probes the file system with synchronous calls',
    replacement: 'the promise or callback form',
  },
];
