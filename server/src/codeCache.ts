/**
 * Loads a CommonJS bundle through a V8 code cache. The server bundle holds the TypeScript
 * compiler (16 MB of JavaScript): compiling it took ~250 ms of the ~400 ms the server needed to
 * start on the bench machine, before it could analyse anything. With the cache V8 skips that
 * compile. The cache lives in the OS temp folder (like Node 22's compile cache), one file per
 * bundle build; it is written when the process exits after running without one (by then it
 * also holds the functions compiled while analysing), and any problem with it only means a
 * normal load. V8 itself rejects a cache made by another V8 version or with other flags.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

/** Where the caches go: `<tmp>/loop-lens-code-cache/<bundle>-<build>.bin`. */
const CACHE_DIR = path.join(tmpdir(), 'loop-lens-code-cache');

/**
 * Runs `file` as a CommonJS module of its own, as `require(file)` would; returns whether V8
 * used a cache.
 */
export function loadWithCodeCache(file: string, cacheDir = CACHE_DIR): boolean {
  const { used, save } = loadCached(file, cacheDir);
  if (!used) process.once('exit', save);
  return used;
}

/**
 * As {@link loadWithCodeCache}, for a worker thread (no `exit` event runs when it is
 * terminated): the caller calls `save` once the code it wants cached has run.
 */
export function loadCached(
  file: string,
  cacheDir = CACHE_DIR,
): { used: boolean; save: () => void } {
  const source = fs.readFileSync(file, 'utf8');
  const { cacheFile, stale } = cacheNames(file, cacheDir);
  const cachedData = readOrUndefined(cacheFile);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const used = cachedData !== undefined && script.cachedDataRejected !== true;
  const save = () => writeCache(script, cacheFile, stale);
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    path.dirname(file),
  );
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const require = (id: string): unknown => mod.require(id);
  wrapper.call(mod.exports, mod.exports, require, mod, file, path.dirname(file));
  return { used, save };
}

/** This build's cache file, and a test for older builds' caches of the same bundle. */
function cacheNames(
  file: string,
  dir: string,
): { cacheFile: string; stale: (name: string) => boolean } {
  const st = fs.statSync(file);
  const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);
  const bundle = hash(file);
  const build = hash(
    [st.size, st.mtimeMs, st.ino, process.version, process.arch, process.execArgv].join('|'),
  );
  const name = `${bundle}-${build}.bin`;
  return {
    cacheFile: path.join(dir, name),
    stale: (n) => n.startsWith(`${bundle}-`) && n !== name,
  };
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically (a rename), and removes older builds' caches of this bundle. */
function writeCache(script: vm.Script, cacheFile: string, stale: (n: string) => boolean): void {
  try {
    const dir = path.dirname(cacheFile);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
    for (const n of fs.readdirSync(dir)) if (stale(n)) fs.rmSync(path.join(dir, n));
  } catch {
    // A read-only or full temp folder: the next start compiles as usual.
  }
}
