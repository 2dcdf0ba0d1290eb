/**
 * Malformed and hostile recording files, made from the demo recording: missing and wrongly typed
 * fields, NaN, 1e308 and Infinity, a huge file, 10,000-deep nesting, and HTML and script in every
 * string. `parseRecording` must refuse each with a clear message or open it safely. Used by the
 * unit test, the Chromium webview test and `npm run bench -- robustness`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HostileCase {
  name: string;
  text: string;
}

type J = Record<string, unknown> & { stalls: J[]; metrics: J[]; target: J };

const FIXTURE = join(__dirname, '..', 'fixtures', 'recordings', 'demo-service.json');

export function baseRecording(): J {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as J;
}

/** Markup that runs script if it ever reaches innerHTML, or breaks out of an attribute. */
export const PAYLOADS = [
  '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">',
  '<script>window.__pwned=(window.__pwned||0)+1</script>',
  '"><svg onload="window.__pwned=(window.__pwned||0)+1">',
  '\'><iframe srcdoc="<script>parent.__pwned=1</script>">',
  'javascript:window.__pwned=1//',
];

/** Every string value in `v` (and every activeResources key) prefixed with a payload. */
export function poison<T>(v: T, i = { n: 0 }, key = ''): T {
  const next = () => PAYLOADS[i.n++ % PAYLOADS.length]!;
  if (typeof v === 'string') return (key === 'mode' ? v : `${next()}${v}`) as T;
  if (Array.isArray(v)) return v.map((x) => poison(x, i)) as T;
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        key === 'activeResources' ? `${next()}${k}` : k,
        poison(x, i, k),
      ]),
    ) as T;
  }
  return v;
}

function nest(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

function edit(f: (r: J) => void): string {
  const r = baseRecording();
  f(r);
  return JSON.stringify(r);
}

/** `hugeMB`: size of the largest case (the test uses a smaller one than the bench). */
export function hostileRecordings(hugeMB = 100): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (name: string, text: string) => cases.push({ name, text });
  // Missing fields.
  for (const k of ['version', 'stalls', 'target', 'metrics', 'startedAt', 'durationMs']) {
    add(
      `missing ${k}`,
      edit((r) => delete r[k]),
    );
  }
  for (const k of ['startMs', 'durationMs', 'kind', 'stack', 'blame']) {
    add(
      `missing stalls[0].${k}`,
      edit((r) => delete r.stalls[0]![k]),
    );
  }
  add(
    'missing metrics[0].loopDelay',
    edit((r) => delete r.metrics[0]!.loopDelay),
  );
  add(
    'missing frame file',
    edit((r) => delete (r.stalls[0]!.stack as J[])[0]!.file),
  );
  // Wrongly typed fields.
  const wrong: Array<[string, (r: J) => void]> = [
    ['version "1"', (r) => (r.version = '1')],
    ['stalls an object', (r) => (r.stalls = {} as J[])],
    ['stalls[0] a string', (r) => (r.stalls[0] = 'x' as unknown as J)],
    ['startMs a string', (r) => (r.stalls[0]!.startMs = '800')],
    ['durationMs null', (r) => (r.stalls[0]!.durationMs = null)],
    ['kind a number', (r) => (r.stalls[0]!.kind = 7)],
    ['stack a string', (r) => (r.stalls[0]!.stack = 'readFileSync')],
    ['frame a number', (r) => (r.stalls[0]!.stack = [42])],
    ['frame file a number', (r) => ((r.stalls[0]!.stack as J[])[0]!.file = 42)],
    ['blame a string', (r) => (r.stalls[0]!.blame = 'views.ts:10')],
    ['blame line an object', (r) => ((r.stalls[0]!.blame as J).line = { n: 1 })],
    ['target a number', (r) => (r.target = 5 as unknown as J)],
    ['target.url an array', (r) => (r.target.url = ['x'])],
    ['metrics a string', (r) => (r.metrics = 'x' as unknown as J[])],
    ['loopDelay.p99 a string', (r) => ((r.metrics[0]!.loopDelay as J).p99 = '67')],
    ['threads an object', (r) => (r.metrics[0]!.threads = {})],
    ['activeResources values strings', (r) => (r.metrics[0]!.activeResources = { Timer: 'many' })],
    ['hotspots garbage', (r) => (r.hotspots = [{ file: 1, line: 'x' }, null, 'y'])],
    ['mode unknown', (r) => (r.mode = '<b>turbo</b>')],
  ];
  for (const [name, f] of wrong) add(`wrong type: ${name}`, edit(f));
  add('top level an array', '[1, 2]');
  add('top level null', 'null');
  add('top level a number', '42');
  add('empty file', '');
  add('truncated JSON', edit(() => undefined).slice(0, 5000));
  // NaN (not JSON at all), 1e308, Infinity (1e999 parses to it), negative times.
  add('NaN literal', edit(() => undefined).replace('"durationMs":68', '"durationMs":NaN'));
  add(
    '1e308 startMs',
    edit((r) => (r.stalls[0]!.startMs = 1e308)),
  );
  add(
    '1e308 durationMs',
    edit((r) => (r.stalls[3]!.durationMs = 1e308)),
  );
  add(
    '1e308 recording durationMs',
    edit((r) => (r.durationMs = 1e308)),
  );
  add(
    '1e308 heap',
    edit((r) => (r.metrics[0]!.heapUsed = 1e308)),
  );
  add('1e999 (Infinity) atMs', edit(() => undefined).replace('"atMs":1000', '"atMs":1e999'));
  add(
    'negative durationMs',
    edit((r) => (r.stalls[0]!.durationMs = -5)),
  );
  add(
    '-1e308 line',
    edit((r) => ((r.stalls[0]!.blame as J).line = -1e308)),
  );
  // Deep nesting: in a known field, in an unknown field, and as the whole file.
  add('10,000-deep stack', edit(() => undefined).replace('"stack":[', `"stack":[${nest(10_000)},`));
  add(
    '10,000-deep unknown field',
    edit(() => undefined).replace('"startMs":800', `"deep":${nest(10_000)},"startMs":800`),
  );
  add('10,000-deep file', nest(10_000));
  add(
    '__proto__ keys',
    edit(() => undefined).replace('"startMs":800', '"__proto__":{"polluted":1},"startMs":800'),
  );
  // HTML and script in every string (keys too, except version/mode values).
  add('HTML and script in every string', JSON.stringify(poison(baseRecording())));
  // Huge: a long string in every frame file until the size is reached; and as many stalls.
  const big = baseRecording();
  const stall = big.stalls[0]!;
  const one = JSON.stringify(stall).length + 1;
  const n = Math.ceil((hugeMB * 1024 * 1024) / one);
  big.stalls = Array.from({ length: n }, (_, i) => ({ ...stall, startMs: i * 100 }));
  add(`${hugeMB} MB of stalls (${n})`, JSON.stringify(big));
  // Many small stalls: more than a call's argument list can hold (Math.max(...stalls) overflows).
  const tiny = { startMs: 0, durationMs: 60, kind: 'cpu', stack: [] };
  add(
    '200,000 tiny stalls',
    edit(
      (r) =>
        (r.stalls = Array.from({ length: 200_000 }, (_, i) => ({
          ...tiny,
          startMs: i * 100,
        })) as unknown as J[]),
    ),
  );
  add(
    `${hugeMB} MB string in target.url`,
    edit((r) => (r.target.url = 'x'.repeat(hugeMB * 1024 * 1024))),
  );
  return cases;
}
