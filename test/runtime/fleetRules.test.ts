/**
 * docs/fleet's files users import as they are: the Prometheus alert rules pass `promtool check
 * rules`, and `promtool test rules` shows the p99 alert firing after 5 minutes of 200 ms delays
 * and not for 50 ms ones; every metric the rules and the Grafana dashboard query is one the
 * recorder serves. promtool missing is a failure naming setup.sh, not a skip.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FleetTotals } from '../../src/runtime/export/fleetTotals';
import { fleetRegistry } from '../../src/runtime/export/prometheus';
import { prometheusTool } from './prometheusServer';
import { ROOT } from './runtimeHelpers';

const RULES = join(ROOT, 'docs', 'fleet', 'loop-lens.rules.yml');
const DASHBOARD = join(ROOT, 'docs', 'fleet', 'grafana-dashboard.json');

function promtool(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(prometheusTool('promtool'), args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Four buckets of one process whose every delay is `ms` (60 a minute). */
function delaySeries(instance: string, pid: string, ms: number): string[] {
  return ['0.05', '0.1', '0.2', '+Inf'].flatMap((le) => {
    const counts = le === '+Inf' || Number(le) * 1000 >= ms;
    return [
      `      - series: 'loop_lens_event_loop_delay_seconds_bucket{instance="${instance}",pid="${pid}",thread="main",thread_id="0",le="${le}"}'`,
      `        values: '0+${counts ? 60 : 0}x20'`,
    ];
  });
}

describe('docs/fleet: alert rules and dashboard', () => {
  it('the rules pass promtool check rules', () => {
    const r = promtool(['check', 'rules', RULES]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /SUCCESS: 4 rules found/);
  });

  it('EventLoopDelayHigh fires after 5 minutes of a p99 over 100 ms, and only then', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-lens-rules-'));
    const test = join(dir, 'rules.test.yml');
    const summary = 'Event-loop delay p99 over 100 ms for 5 minutes (slow, pid 1, thread main)';
    const description =
      'The p99 event-loop delay is 199ms. See which lines block: topk(5, increase(loop_lens_line_blocked_seconds_total[15m])).';
    writeFileSync(
      test,
      [
        `rule_files: ['${RULES}']`,
        'evaluation_interval: 1m',
        'tests:',
        '  - interval: 1m',
        '    input_series:',
        ...delaySeries('slow', '1', 200),
        ...delaySeries('fast', '2', 50),
        '    alert_rule_test:',
        '      - eval_time: 4m',
        '        alertname: EventLoopDelayHigh',
        '        exp_alerts: []',
        '      - eval_time: 8m',
        '        alertname: EventLoopDelayHigh',
        '        exp_alerts:',
        "          - exp_labels: { severity: warning, instance: slow, pid: '1', thread: main }",
        `            exp_annotations: { summary: '${summary}', description: '${description}' }`,
        '',
      ].join('\n'),
    );
    try {
      const r = promtool(['test', 'rules', test]);
      assert.equal(r.status, 0, r.out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the rules and the dashboard query only metrics the recorder serves', async () => {
    const totals = new FleetTotals(() => 1);
    const text = await fleetRegistry(totals).metrics();
    const served = new Set<string>();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      served.add(name);
      if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) served.add(name + s);
    }
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
      templating: { list: Array<{ query: string }> };
    };
    const queries = [
      readFileSync(RULES, 'utf8'),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      ...dashboard.templating.list.map((v) => v.query),
    ].join('\n');
    const used = new Set(queries.match(/\bloop_lens_[a-z_]+/g));
    assert.ok(used.size >= 8, [...used].join(', '));
    assert.deepEqual(
      [...used].filter((m) => !served.has(m)),
      [],
    );
  });
});
