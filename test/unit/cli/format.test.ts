import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatJson } from '../../../src/cli/format/json';
import { formatSarif } from '../../../src/cli/format/sarif';
import { formatText } from '../../../src/cli/format/text';
import type { AnalysisResult, Finding } from '../../../server/src/analysis/types';

const cwd = '/proj';

function finding(over: Partial<Finding>): Finding {
  return {
    file: '/proj/src/routes/render.ts',
    line: 9,
    column: 16,
    endLine: 9,
    endColumn: 40,
    rule: 'sync-fs',
    category: 'sync-io',
    severity: 'warning',
    message: 'render() reads a file synchronously (fs.readFileSync); use fs.promises.readFile.',
    api: 'fs.readFileSync',
    why: 'It waits for the disk on the event loop.',
    replacement: 'fs.promises.readFile',
    chain: [],
    ...over,
  };
}

const indirect = finding({
  chain: [
    { file: '/proj/src/routes/render.ts', line: 9, column: 16, name: 'render' },
    { file: '/proj/src/views.ts', line: 15, column: 20, name: 'loadTemplate' },
    { file: '/proj/src/views.ts', line: 10, column: 10, name: 'fs.readFileSync' },
  ],
});
const direct = finding({
  file: '/proj/src/routes/export.ts',
  line: 8,
  column: 19,
  rule: 'sync-child-process',
  api: 'child_process.execSync',
  severity: 'error',
  message: 'execSync waits for the child process.',
});
const info = finding({
  file: '/elsewhere/lib.js',
  line: 3,
  column: 1,
  severity: 'info',
  rule: 'threadpool-fanout',
  category: 'threadpool',
});

const result: AnalysisResult = {
  findings: [indirect, direct, info],
  notes: [{ file: '/proj/src/min.js', kind: 'skipped', reason: 'minified' }],
  filesAnalyzed: 12,
  durationMs: 123.6,
  dependencies: { packages: 2, files: 5, cached: 3 },
};

describe('json format', () => {
  test('has exactly the documented keys, absolute paths and the chain without engine fields', () => {
    const doc = JSON.parse(formatJson(result)) as Record<string, unknown> & {
      findings: Record<string, unknown>[];
    };
    assert.deepEqual(Object.keys(doc).sort(), [
      'dependencies',
      'durationMs',
      'filesAnalyzed',
      'findings',
      'notes',
    ]);
    assert.equal(doc.filesAnalyzed, 12);
    assert.deepEqual(doc.dependencies, { packages: 2, files: 5, cached: 3 });
    assert.deepEqual(Object.keys(doc.findings[0]).sort(), [
      'api',
      'category',
      'chain',
      'column',
      'endColumn',
      'endLine',
      'file',
      'line',
      'message',
      'rule',
      'severity',
    ]);
    assert.deepEqual(doc.findings[0].chain, [
      { file: '/proj/src/routes/render.ts', line: 9, name: 'render' },
      { file: '/proj/src/views.ts', line: 15, name: 'loadTemplate' },
      { file: '/proj/src/views.ts', line: 10, name: 'fs.readFileSync' },
    ]);
  });
});

describe('text format', () => {
  const text = formatText(result, { cwd, color: false });

  test('groups by file with line:col, severity, message and rule; chain indented below', () => {
    const lines = text.split('\n');
    const at = lines.indexOf('src/routes/render.ts');
    assert.ok(at >= 0, text);
    assert.match(lines[at + 1], /^ {2}9:16 {2}warning {2}render\(\) reads a file .* {2}sync-fs$/);
    assert.match(
      lines[at + 2],
      /^ +via render \(src\/routes\/render\.ts:9\) → loadTemplate \(src\/views\.ts:15\) → fs\.readFileSync \(src\/views\.ts:10\)$/,
    );
    assert.ok(lines.includes('/elsewhere/lib.js'), 'a file outside cwd keeps its absolute path');
    assert.ok(
      text.indexOf('src/routes/export.ts') < text.indexOf('src/routes/render.ts'),
      'files in name order',
    );
  });

  test('lists notes and ends with the ESLint-style summary', () => {
    assert.match(text, /skipped +src\/min\.js: minified/);
    assert.match(text, /✖ 3 problems \(1 error, 1 warning, 1 info\)\n$/);
  });

  test('colour only when asked', () => {
    assert.ok(!text.includes('\u001b['));
    assert.ok(formatText(result, { cwd, color: true }).includes('\u001b[33mwarning'));
  });

  test('200,000 findings in one file print (the column widths are no spread into Math.max)', () => {
    const many = Array.from({ length: 200_000 }, (_, i) =>
      finding({ line: i + 1, column: 1, severity: i === 7 ? 'error' : 'info' }),
    );
    const out = formatText(
      { findings: many, notes: [], filesAnalyzed: 1, durationMs: 1 },
      {
        cwd,
        color: false,
      },
    );
    const lines = out.split('\n');
    // Positions pad to the widest (`200000:1`), severities to `error`.
    assert.match(lines[2], /^ {2}1:1 {7}info {3}render/);
    assert.ok(lines.includes(`  200000:1  info   ${many[0].message}  sync-fs`));
    assert.match(out, /✖ 200000 problems \(1 error, 0 warnings, 199999 infos\)\n$/);
  });

  test('a clean run says so', () => {
    const clean = formatText(
      { findings: [], notes: [], filesAnalyzed: 4, durationMs: 1 },
      { cwd, color: false },
    );
    assert.match(clean, /✔ No blocking calls found \(4 files analysed\)/);
  });
});

describe('sarif format', () => {
  const log = JSON.parse(
    formatSarif(result, { cwd, version: '1.2.3', packageRoot: '/opt/loop-lens' }),
  );
  const run = log.runs[0];

  test('is a SARIF 2.1.0 log whose driver lists the rules with help and default level', () => {
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(run.tool.driver.name, 'loop-lens');
    assert.match(run.tool.driver.informationUri, /^file:\/\//);
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'sync-fs');
    assert.equal(rule.helpUri, 'file:///opt/loop-lens/docs/rules/sync-fs.md');
    assert.equal(rule.defaultConfiguration.level, 'warning');
    assert.ok(rule.shortDescription.text.length > 0);
  });

  test('results point at their rule and location; info maps to note', () => {
    assert.equal(run.results.length, 3);
    for (const r of run.results) assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    const [first, second, third] = run.results;
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'src/routes/render.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 9, startColumn: 16, endLine: 9, endColumn: 40 },
    });
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///proj/');
    assert.equal(second.level, 'error');
    assert.equal(third.level, 'note');
    assert.equal(
      third.locations[0].physicalLocation.artifactLocation.uri,
      'file:///elsewhere/lib.js',
    );
  });

  test('the chain becomes relatedLocations and a codeFlow', () => {
    const r = run.results[0];
    assert.deepEqual(
      r.relatedLocations.map((l: { message: { text: string } }) => l.message.text),
      ['render', 'loadTemplate', 'fs.readFileSync'],
    );
    const steps = r.codeFlows[0].threadFlows[0].locations;
    assert.equal(steps.length, 3);
    assert.equal(steps[2].location.physicalLocation.artifactLocation.uri, 'src/views.ts');
    assert.equal(steps[2].location.physicalLocation.region.startLine, 10);
    assert.equal(run.results[1].codeFlows, undefined);
  });

  test('skipped files become tool notifications', () => {
    const n = run.invocations[0].toolExecutionNotifications;
    assert.equal(n.length, 1);
    assert.match(n[0].message.text, /skipped: minified/);
  });
});
