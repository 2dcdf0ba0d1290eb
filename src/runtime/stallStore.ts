/**
 * The stalls a recording keeps (a {@link Ring} of the newest), each made compact on the way in:
 * its frames, stacks and texts are shared with the stalls before it. A long-running recorder
 * sees the same blocking paths again and again, so a kept stall is then little more than its
 * own times and pointers: measured with 20-frame stacks (npm run bench -- fleet), the store of
 * 10,000 stalls went from ~2–4 KB a stall to a few hundred bytes, and a burst of 100,000 stalls
 * leaves short-lived copies for the young generation instead of old-space garbage.
 *
 * Frames are never changed once a stall is emitted (recording format: plain data), which is
 * what makes sharing them safe. The tables are bounded: past their size they start afresh (the
 * kept stalls hold on to what they use).
 */
import type { Stall, StackFrame } from '../shared/protocol/runtime';
import { KEEP_STALLS, Ring } from './ring';

/** Distinct frames, stacks and texts remembered for sharing, each. */
const MAX_SHARED = 50_000;

/** A Map that starts afresh when full. */
class Table<V> {
  private map = new Map<string, V>();

  get(key: string, make: () => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size >= MAX_SHARED) this.map = new Map();
      v = make();
      this.map.set(key, v);
    }
    return v;
  }
}

/** Shares equal frames, stacks and texts between stalls. */
export class StallInterner {
  private readonly texts = new Table<string>();
  private readonly frames = new Table<StackFrame>();
  private readonly stacks = new Table<StackFrame[]>();

  text(s: string): string {
    return this.texts.get(s, () => s);
  }

  frame(f: StackFrame): StackFrame {
    const key = `${f.line}\0${f.column}\0${f.file}\0${f.functionName}`;
    return this.frames.get(key, () => ({
      functionName: this.text(f.functionName),
      file: this.text(f.file),
      line: f.line,
      column: f.column,
    }));
  }

  stack(frames: StackFrame[]): StackFrame[] {
    const shared = frames.map((f) => this.frame(f));
    // The frames are shared objects now: their identity is the stack's key.
    return this.stacks.get(this.keyOf(shared), () => shared);
  }

  /** The same stall, its frames, stack and texts shared with earlier ones. */
  compact(s: Stall): Stall {
    const out: Stall = { ...s, stack: this.stack(s.stack) };
    if (s.blame) out.blame = this.frame(s.blame);
    if (s.operation !== undefined) out.operation = this.text(s.operation);
    if (s.waitingOn !== undefined) out.waitingOn = this.text(s.waitingOn);
    return out;
  }

  private readonly ids = new WeakMap<StackFrame, number>();
  private nextId = 0;

  private keyOf(frames: StackFrame[]): string {
    let key = '';
    for (const f of frames) {
      let id = this.ids.get(f);
      if (id === undefined) this.ids.set(f, (id = this.nextId++));
      key += `${id},`;
    }
    return key;
  }
}

/** A recording's kept stalls: bounded, compact, oldest first. */
export class StallStore implements Iterable<Stall> {
  private readonly ring: Ring<Stall>;
  private readonly interner = new StallInterner();

  constructor(capacity = KEEP_STALLS) {
    this.ring = new Ring<Stall>(capacity);
  }

  /** Keeps the stall (the oldest goes when full); returns the compact copy kept. */
  push(s: Stall): Stall {
    const c = this.interner.compact(s);
    this.ring.push(c);
    return c;
  }

  get dropped(): number {
    return this.ring.dropped;
  }

  get length(): number {
    return this.ring.length;
  }

  [Symbol.iterator](): Iterator<Stall> {
    return this.ring[Symbol.iterator]();
  }
}
