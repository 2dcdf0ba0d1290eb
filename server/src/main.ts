/**
 * Entry of the language server process (`dist/server.js`): loads the server itself
 * (`dist/serverCore.js`, built from `server.ts`) through a V8 code cache, so a new window gets
 * its first diagnostics without compiling the TypeScript compiler first.
 */
import { join } from 'node:path';
import { loadWithCodeCache } from './codeCache';

loadWithCodeCache(join(__dirname, 'serverCore.js'));
