/**
 * Part 2 of `npm run bench -- fleet`: a recorder's memory fed 100,000 stalls. Each variant runs
 * in a process of its own (clean heap) and feeds the same synthetic stalls (20-frame stacks, 2,000
 * distinct blamed lines, a waitingOn each) through what a recording session keeps of them: the
 * stall store, the fleet exporters' totals (scraped every 1,000 stalls), the hotspot summary of a
 * snapshot every 10,000. `store` is the session's store (src/runtime/stallStore.ts: a ring of
 * compact stalls whose frames, stacks and texts are shared); `ring` the plain ring of the stalls
 * as emitted that it replaced; `array` the unbounded list before that. Prints peak RSS side by side.
 */
import { spawnSync } from 'node:child_process';
import { FleetTotals } from '../src/runtime/export/fleetTotals';
import { fleetRegistry } from '../src/runtime/export/prometheus';
import { summarizeHotspots } from '../src/runtime/hotspots';
import { KEEP_STALLS, Ring } from '../src/runtime/ring';
import { StallStore } from '../src/runtime/stallStore';
import type { Stall } from '../src/shared/protocol/runtime';

const N = Number(process.env.BENCH_FLEET_STALLS) || 100_000;
const LIMIT_MB = 200;

function stallAt(i: number): Stall {
  const line = i % 2000;
  const stack = Array.from({ length: 20 }, (_, k) => ({
    functionName: `handler${(line + k) % 97}`,
    file: `/srv/app/src/routes/module${(line + k) % 500}.js`,
    line: 10 + ((line * 7 + k) % 400),
    column: 5 + k,
  }));
  return {
    startMs: i * 60,
    durationMs: 50 + (i % 200),
    kind: i % 3 === 0 ? 'sync-io' : 'cpu',
    blame: stack[0],
    stack,
    operation: i % 3 === 0 ? 'fs.readFileSync' : 'JSON.stringify',
    waitingOn: `read /srv/data/file${i % 50}.json (D) 80 %, running 20 %`,
  };
}

type Kind = 'store' | 'ring' | 'array';
const KINDS: Kind[] = ['store', 'ring', 'array'];

async function feed(kind: Kind): Promise<void> {
  const store: { push(s: Stall): unknown } & Iterable<Stall> =
    kind === 'store'
      ? new StallStore(KEEP_STALLS)
      : kind === 'ring'
        ? new Ring<Stall>(KEEP_STALLS)
        : ([] as Stall[]);
  const totals = new FleetTotals(() => 1, 20, '/srv/app');
  const reg = fleetRegistry(totals);
  for (let i = 0; i < N; i++) {
    const s = stallAt(i);
    store.push(s);
    totals.addStall(s);
    if (i % 1000 === 999) await reg.metrics();
    if (i % 10_000 === 9999) summarizeHotspots([...store]);
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  (globalThis as { gc?: () => void }).gc?.();
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  process.stdout.write(JSON.stringify({ kind, rssMb, peakMb, heapMb, kept: [...store].length }));
}

/** Variants: what is kept, and the V8 flags the recorder runs with. */
const VARIANTS = [
  { kind: 'store', flags: [], label: 'compact store, default heap' },
  { kind: 'store', flags: ['--max-old-space-size=128'], label: 'compact store, heap cap 128 MB' },
  { kind: 'ring', flags: [], label: 'ring of stalls as emitted (before)' },
  { kind: 'array', flags: [], label: 'unbounded list (before that)' },
];

function main(): void {
  const arg = process.argv[2];
  if (KINDS.includes(arg as Kind)) {
    void feed(arg as Kind);
    return;
  }
  console.log(
    `\nmemory fed ${N.toLocaleString('en')} stalls in a burst (RSS after a GC; peak RSS; V8 heap used):`,
  );
  const rows = VARIANTS.map((v) => {
    const args = ['--expose-gc', ...v.flags, '--import', 'tsx', __filename, v.kind];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${v.label}: ${r.stderr}`);
    const x = JSON.parse(r.stdout) as {
      rssMb: number;
      peakMb: number;
      heapMb: number;
      kept: number;
    };
    const mb = (n: number) => `${n.toFixed(0).padStart(4)} MB`;
    console.log(
      `  ${v.label.padEnd(40)} ${mb(x.rssMb)}  peak ${mb(x.peakMb)}  heap ${mb(x.heapMb)}  (${x.kept.toLocaleString('en')} stalls kept)`,
    );
    return x;
  });
  const [store, capped, ring, array] = rows;
  console.log(`(the process itself, tsx included, starts at ~90 MB)`);
  console.log(
    `a recorder fed ${N.toLocaleString('en')} stalls stays under ${LIMIT_MB} MB RSS: ${store.peakMb < LIMIT_MB ? 'MET' : 'MISSED'} (peak ${store.peakMb.toFixed(0)} MB, default heap; ${capped.peakMb.toFixed(0)} MB with a 128 MB heap cap; before: ring ${ring.peakMb.toFixed(0)} MB, unbounded ${array.peakMb.toFixed(0)} MB)`,
  );
}

main();
