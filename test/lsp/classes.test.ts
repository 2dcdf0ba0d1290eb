/**
 * Findings through class methods in the language server: a NestJS-style controller whose field,
 * static and local-instance calls reach `fs.readFileSync` in a service class of another file. The
 * diagnostic and the hover name the method (`UsersService.findAll`) in the chain.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol/node';
import { serverOnFixture } from './client';

const service = [
  "import * as fs from 'node:fs';",
  'export class UsersService {',
  "  findAll() { return fs.readFileSync('users.json', 'utf8'); }",
  "  static loadSeed() { return fs.readFileSync('seed.json', 'utf8'); }",
  '  count() { return 1; }',
  '}',
  '',
].join('\n');
const controller = [
  "import { UsersService } from './users.service';",
  'export class UsersController {',
  '  constructor(private readonly users: UsersService) {}',
  '  async list() { return this.users.findAll(); }',
  '  async seed() { return UsersService.loadSeed(); }',
  '  async local() { const s = new UsersService(); return s.findAll(); }',
  '  async fine() { return this.users.count(); }',
  '}',
  '',
].join('\n');

describe('classes in the language server', () => {
  const s = serverOnFixture({ 'users.service.ts': service, 'users.controller.ts': controller });
  const uri = () => s.fx.uri('users.controller.ts');
  let messages: { line: number; message: string }[] = [];
  before(async () => {
    await s.lsp.open(uri(), controller);
    const diags = await s.lsp.waitForDiagnostics(uri(), (d) => d.length === 3);
    messages = diags.map((d) => ({ line: d.range.start.line, message: String(d.message) }));
  });

  test('the field, static and local-instance calls are diagnostics with the method chain', () => {
    assert.deepEqual(messages.map((m) => m.line).sort(), [3, 4, 5]);
    const list = messages.find((m) => m.line === 3)!;
    assert.match(list.message, /in async UsersController\.list/);
    assert.match(list.message, /via UsersService\.findAll → fs\.readFileSync/);
    assert.match(messages.find((m) => m.line === 4)!.message, /via UsersService\.loadSeed/);
  });

  test('the hover lists UsersService.findAll as a chain step with its link', async () => {
    const h = await s.lsp.hover(uri(), 3, 30);
    const md = h ? (h.contents as MarkupContent).value : '';
    assert.match(md, /\*\*Chain:\*\*/);
    assert.match(md, /1\. `UsersService\.findAll` at \[users\.controller\.ts:4\]/);
    assert.match(md, /2\. `fs\.readFileSync` at \[users\.service\.ts:3\]\([^)]+\) \(blocks\)/);
  });

  test('an edit that removes the blocking read clears the three diagnostics', async () => {
    await s.lsp.open(s.fx.uri('users.service.ts'), service);
    await s.lsp.change(
      s.fx.uri('users.service.ts'),
      service.replace(/fs\.readFileSync\('(users|seed)\.json', 'utf8'\)/g, "''"),
    );
    await s.lsp.waitForDiagnostics(uri(), (d) => d.length === 0);
  });
});
