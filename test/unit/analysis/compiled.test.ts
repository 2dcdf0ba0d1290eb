/**
 * Compiled output: real tsc and esbuild output (compiled here with the installed compilers) and
 * Babel / SWC output written from the helpers those compilers document. Interop helpers hide no
 * module, compiled re-exports are followed, and a downlevel async body is event-loop context.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import ts from 'typescript';
import { transformSync } from 'esbuild';
import { chainText, check } from './helpers';

const service = [
  "import * as fs from 'fs';",
  "import path from 'path';",
  "import { readFileSync } from 'node:fs';",
  'export class UsersService {',
  "  findAll() { return JSON.parse(fs.readFileSync(path.join('x', 'users.json'), 'utf8')); }",
  "  static loadSeed() { return readFileSync('seed.json', 'utf8'); }",
  '  count() { return 1; }',
  '}',
  'export function helper() { return fs.statSync("x"); }',
  "export * from './other';",
  'export { helper as aliased };',
].join('\n');
const other =
  "import { execSync } from 'child_process';\nexport function git() { return execSync('git status'); }";
const controller = [
  "import { UsersService } from './users.service';",
  'function Controller(): ClassDecorator { return () => {}; }',
  '@Controller()',
  'export class UsersController {',
  '  constructor(private readonly users: UsersService) {}',
  '  async list() { return this.users.findAll(); }',
  '  async seed() { return UsersService.loadSeed(); }',
  '  async local() { const s = new UsersService(); return s.findAll(); }',
  '  async fine() { return this.users.count(); }',
  '}',
].join('\n');
const app = [
  "import { aliased, git } from './users.service';",
  'export async function h() { aliased(); return git(); }',
  'export function startup() { return git(); }',
].join('\n');
const sources: Record<string, string> = {
  'users.service': service,
  other,
  'users.controller': controller,
  app,
};

function tsc(options: ts.CompilerOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(sources)) {
    out[`${name}.js`] = ts.transpileModule(text, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        esModuleInterop: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        ...options,
      },
    }).outputText;
  }
  return out;
}

const expected = [
  'app.js h sync-child-process',
  'app.js h sync-fs',
  'users.controller.js list sync-fs',
  'users.controller.js local sync-fs',
  'users.controller.js seed sync-fs',
];

function describe(r: ReturnType<typeof check>): string[] {
  return r.rel
    .map((f) => {
      if (f.file === 'app.js') {
        return `${f.file} ${/in async (\w+)/.exec(f.message)?.[1]} ${f.rule}`;
      }
      if (f.file !== 'users.controller.js') return `${f.file}:${f.line} ${f.rule}`;
      const ctx = /in async UsersController\.(\w+)/.exec(f.message)?.[1];
      return `${f.file} ${ctx} ${f.rule}`;
    })
    .sort();
}

for (const [title, options] of [
  [
    'ES2015 (__awaiter + generator, __importStar, __importDefault)',
    { target: ts.ScriptTarget.ES2015 },
  ],
  ['ES2022 (native async, (0, fs_1.readFileSync))', { target: ts.ScriptTarget.ES2022 }],
  [
    'ES2017 with importHelpers (tslib_1.__exportStar, isolated metadata)',
    { target: ts.ScriptTarget.ES2017, importHelpers: true },
  ],
] as const) {
  test(`tsc CommonJS ${title}: the controller, re-exports and aliases`, () => {
    const files = tsc(options);
    const r = check(files);
    assert.deepEqual(
      describe(r),
      expected,
      JSON.stringify(
        r.rel.map((f) => f.message),
        null,
        1,
      ),
    );
    // `(0, users_service_1.aliased)()` shows as the function, not the comma expression.
    const names = r.rel.flatMap((f) => f.chain.map((c) => c.name));
    assert.ok(names.length && names.every((n) => !n.startsWith('(')), names.join(', '));
    const list = r.rel.find((f) => /UsersController\.list/.test(f.message))!;
    assert.match(
      chainText(list),
      /^UsersService\.findAll \(users\.controller\.js:\d+\) → fs\.readFileSync \(users\.service\.js:\d+\)$/,
    );
  });
}

test('esbuild CommonJS es2016 (__toESM, __export, __reExport, __async)', () => {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(sources)) {
    files[`${name}.js`] = transformSync(text, {
      loader: 'ts',
      format: 'cjs',
      target: 'es2016',
      platform: 'node',
    }).code;
  }
  const r = check(files);
  // esbuild keeps no constructor parameter types: `this.users` is unknown (not reported).
  assert.deepEqual(
    describe(r),
    expected.filter((s) => !s.includes(' list ')),
  );
});

test('negatives: a plain generator, a compiled sync function, startup code, non-blocking helpers', () => {
  const files = tsc({ target: ts.ScriptTarget.ES2015 });
  const r = check({
    ...files,
    'gen.js': [
      'const fs = require("fs");',
      'function* lines() { yield fs.readFileSync("a"); }',
      'function __awaiter2(a, b, c, g) { return g; }',
      'exports.x = __awaiter2(this, void 0, void 0, function* () { fs.readFileSync("b"); });',
      'exports.lines = lines;',
    ].join('\n'),
  });
  assert.deepEqual(
    describe(r).filter((s) => s.startsWith('gen.js')),
    [],
  );
  // startup() in app.js calls git() outside any async context: not reported.
  assert.ok(!r.sites.includes('app.js:3 sync-child-process'));
});
