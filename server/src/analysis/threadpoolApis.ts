/**
 * The threadpool side of the catalog: functions that run on libuv's pool, so that an unbounded
 * fan-out of them (`Promise.all(xs.map(...))`) starves every other pool user.
 */
/** Functions whose unbounded fan-out saturates libuv's 4-thread pool (`threadpool-fanout`). */
export const threadpoolApis: Readonly<Record<string, readonly string[]>> = {
  fs: [
    'promises.*',
    'readFile',
    'writeFile',
    'appendFile',
    'stat',
    'lstat',
    'readdir',
    'open',
    'access',
    'copyFile',
    'mkdir',
    'rm',
    'unlink',
    'rename',
    'realpath',
    'cp',
  ],
  'fs-extra': ['readFile', 'writeFile', 'readJson', 'outputFile', 'copy', 'stat', 'pathExists'],
  crypto: ['pbkdf2', 'scrypt', 'randomFill', 'generateKeyPair', 'hkdf'],
  zlib: [
    'gzip',
    'gunzip',
    'deflate',
    'inflate',
    'deflateRaw',
    'inflateRaw',
    'unzip',
    'brotliCompress',
    'brotliDecompress',
  ],
  dns: ['lookup', 'lookupService', 'promises.lookup', 'promises.lookupService'],
  bcrypt: ['hash', 'compare'],
};
