/**
 * `loop-lens check` as a user runs it: the bundled CLI in its own process, on small projects
 * written to a temp folder. Output formats and exit codes. (The tests are split over several
 * files so each file stays well inside the runner's per-file timeout on a loaded machine.)
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { buildCli, makeProject, runCli } from './cliHarness';
import { type JsonOut, clean, service } from './checkFixtures';

describe('loop-lens check: output and exit codes', () => {
  let project: string;
  let cleanProject: string;

  before(
    async () => {
      await buildCli();
      project = makeProject(service);
      cleanProject = makeProject(clean);
    },
    { timeout: 600_000 },
  );

  test('JSON: the indirect finding at the async call site with its chain, not the startup read', async () => {
    const run = await runCli(['check', 'src', '--format', 'json'], { cwd: project });
    assert.equal(run.code, 1, run.stderr);
    const out = JSON.parse(run.stdout) as JsonOut;
    assert.equal(out.filesAnalyzed, 2);
    assert.equal(typeof out.durationMs, 'number');
    assert.equal(out.findings.length, 1, run.stdout);
    const [f] = out.findings;
    assert.equal(f.file, join(project, 'src', 'server.ts'));
    assert.equal(f.line, 5);
    assert.equal(f.rule, 'sync-fs');
    assert.equal(f.severity, 'warning');
    assert.ok(f.endLine >= f.line && f.column >= 1);
    assert.deepEqual(
      f.chain.map((s) => s.name).slice(-2),
      ['loadTemplate', 'fs.readFileSync'],
      JSON.stringify(f.chain),
    );
    const last = f.chain[f.chain.length - 1];
    assert.deepEqual([last.file, last.line], [join(project, 'src', 'views.ts'), 3]);
  });

  test('text: grouped by file, chain indented, summary line, no colour when piped', async () => {
    const run = await runCli(['check'], { cwd: project });
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    const at = lines.indexOf(join('src', 'server.ts'));
    assert.ok(at >= 0, run.stdout);
    assert.match(lines[at + 1], /^ {2}5:\d+ +warning {2}.+ {2}sync-fs$/);
    assert.match(
      lines[at + 2],
      /^ {4,}via .*loadTemplate \(src\/views\.ts:\d+\) → fs\.readFileSync \(src\/views\.ts:3\)$/,
    );
    assert.match(run.stdout, /✖ 1 problem \(0 errors, 1 warning, 0 infos\)/);
    assert.ok(!run.stdout.includes('\u001b['), 'no ANSI escapes when stdout is not a terminal');
  });

  test('a clean project exits 0 with a clean message', async () => {
    const run = await runCli(['check', '.'], { cwd: cleanProject });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /No blocking calls found \(1 file analysed\)/);
  });

  test('--fail-on decides the exit code', async () => {
    const code = async (level: string): Promise<number> =>
      (await runCli(['check', '--format', 'json', '--fail-on', level], { cwd: project })).code;
    assert.equal(await code('error'), 0);
    assert.equal(await code('warning'), 1);
    assert.equal(await code('info'), 1);
    assert.equal(await code('none'), 0);
  });

  test('SARIF 2.1.0 with rules, a located result and the chain as a codeFlow', async () => {
    const run = await runCli(['check', 'src', '--format', 'sarif'], { cwd: project });
    assert.equal(run.code, 1, run.stderr);
    const log = JSON.parse(run.stdout);
    assert.equal(log.version, '2.1.0');
    assert.ok(log.$schema);
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'loop-lens');
    const [r] = run0.results;
    const rule = run0.tool.driver.rules[r.ruleIndex];
    assert.equal(rule.id, 'sync-fs');
    assert.match(rule.helpUri, /\/docs\/rules\/sync-fs\.md$/);
    assert.equal(rule.defaultConfiguration.level, 'warning');
    const loc = r.locations[0].physicalLocation;
    assert.deepEqual(loc.artifactLocation, { uri: 'src/server.ts', uriBaseId: '%SRCROOT%' });
    assert.equal(loc.region.startLine, 5);
    assert.ok(r.codeFlows[0].threadFlows[0].locations.length >= 2);
    assert.ok(r.relatedLocations.length >= 2);
    // Every rule's help link opens a page that exists in this checkout.
    for (const { id, helpUri } of run0.tool.driver.rules as { id: string; helpUri: string }[]) {
      assert.ok(existsSync(fileURLToPath(helpUri)), `${id}: ${helpUri} does not exist`);
    }
    assert.ok(existsSync(fileURLToPath(run0.tool.driver.informationUri)));
  });
});
