/**
 * Entry of the language server process (`dist/server.js`): loads the server itself
 * (`dist/serverCore.js`, built from `server.ts`) through a V8 code cache, so a new window gets
 * its first diagnostics without compiling the TypeScript compiler first.
 */
import { join } from 'node:path';
import { loadWithCodeCache } from './codeCache';
import { mark } from './trace';

mark('bundle-load');
loadWithCodeCache(join(__dirname, 'serverCore.js'));
mark('bundle-loaded');
