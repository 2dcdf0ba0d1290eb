// The bundles take only `ts` from ts-morph (`import { ts } from 'ts-morph'`). esbuild resolves
// `ts-morph` to this file, so a bundle carries ts-morph's TypeScript (the same version the tests
// and the type checker use) without ts-morph's own code and @ts-morph/common (~4 MB).
exports.ts = require('@ts-morph/common/dist/typescript.js');
