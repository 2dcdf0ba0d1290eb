/**
 * Entry the VS Code extension host loads as `extensionTestsPath`: runs every compiled
 * `*.test.js` next to it with mocha and, when LOOP_LENS_TEST_RESULTS is set, writes
 * `{ passed, failed, pending, tests }` there for test/vscode/runTests.mjs.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface TestOutcome {
  title: string;
  state: 'passed' | 'failed';
  error?: string;
}

/** Called by the extension host; rejects when any test fails. */
export function run(): Promise<void> {
  // LOOP_LENS_TEST_GREP: only the tests whose full title matches (CONTRIBUTING.md "Tests").
  const grep = process.env.LOOP_LENS_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec', grep });
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const tests: TestOutcome[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.LOOP_LENS_TEST_RESULTS;
      const passed = tests.filter((t) => t.state === 'passed').length;
      if (out) {
        const stats = { passed, failed: failures, pending: runner.stats?.pending ?? 0, tests };
        writeFileSync(out, JSON.stringify(stats, null, 2));
      }
      if (failures) reject(new Error(`${failures} of ${failures + passed} tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err: Error) =>
      tests.push({ title: t.fullTitle(), state: 'failed', error: err.message }),
    );
  });
}
