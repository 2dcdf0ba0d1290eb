/**
 * The random edits of editSequence.test.ts: each is a replacement of `[start, end)` of a
 * document's current text, as an editor sends it while typing. Pure text work.
 */
import type { Range } from 'vscode-languageserver-protocol/node';

export { rng } from '../robustness/lspFuzz';

export interface Edit {
  what: string;
  start: number;
  end: number;
  insert: string;
}

/** An open document: its text as the client has it, and how to undo its edits (last first). */
export interface Doc {
  uri: string;
  text: string;
  undo: Edit[];
}

const pick = <T>(xs: readonly T[], random: () => number): T | undefined =>
  xs[Math.floor(random() * xs.length)];

function matches(text: string, re: RegExp): RegExpExecArray[] {
  return [...text.matchAll(re)];
}

const CALLEES = ['pure', 'readConfig', 'viaHelper', 'local'];

/** Calls of the fixture's functions (not their declarations): a callee can be swapped. */
function swapCallee(text: string, random: () => number): Edit | undefined {
  const calls = matches(text, /\b(pure|readConfig|viaHelper|local)\(/g).filter(
    (m) => !text.slice(Math.max(0, m.index - 9), m.index).endsWith('function '),
  );
  const m = pick(calls, random);
  if (!m) return undefined;
  const next = pick(
    CALLEES.filter((c) => c !== m[1]),
    random,
  )!;
  return {
    what: `call ${next} instead of ${m[1]}`,
    start: m.index,
    end: m.index + m[1]!.length,
    insert: next,
  };
}

/** A blocking call as the first statement of a function or method. */
function insertBlocking(text: string, random: () => number): Edit | undefined {
  const m = pick(matches(text, /\) \{\n/g), random);
  if (!m) return undefined;
  const at = m.index + m[0].length;
  return { what: `fs.statSync at ${at}`, start: at, end: at, insert: '  fs.statSync(p);\n' };
}

function renameFunction(text: string, random: () => number): Edit | undefined {
  const m = pick(matches(text, /function (\w+)\(/g), random);
  if (!m) return undefined;
  const start = m.index + 'function '.length;
  return { what: `rename ${m[1]}`, start, end: start + m[1]!.length, insert: `${m[1]}2` };
}

/** A whole top-level function (everything below it moves up). */
function deleteFunction(text: string, random: () => number): Edit | undefined {
  const m = pick(matches(text, /^(?:export )?(?:async )?function (\w+)\([^]*?\n\}\n/gm), random);
  if (!m) return undefined;
  return { what: `delete ${m[1]}`, start: m.index, end: m.index + m[0].length, insert: '' };
}

let extra = 0;

const OPS: ((text: string, random: () => number) => Edit | undefined)[] = [
  swapCallee,
  insertBlocking,
  renameFunction,
  deleteFunction,
  () => ({ what: 'a line at the start', start: 0, end: 0, insert: '// note\n' }),
  (text) => ({
    what: 'a function at the end',
    start: text.length,
    end: text.length,
    insert: `export async function extra${++extra}(p: string) {\n  return local(p);\n}\n`,
  }),
];

/**
 * One random edit of `doc`, or two: syntax broken at a line start, then fixed. A generator: the
 * caller applies each edit to `doc.text` before the next one is computed.
 */
export function* randomEdit(doc: Doc, random: () => number): Generator<Edit> {
  if (random() < 0.2) {
    const lines = matches(doc.text, /\n/g);
    const at = (pick(lines, random)?.index ?? -1) + 1;
    yield { what: `syntax broken at ${at}`, start: at, end: at, insert: '{( ' };
    yield { what: `syntax fixed at ${at}`, start: at, end: at + 3, insert: '' };
    return;
  }
  for (let tries = 0; tries < 10; tries++) {
    const e = pick(OPS, random)!(doc.text, random);
    if (e) {
      yield e;
      return;
    }
  }
}

/** Undoes the last edit of `doc` (applied to `doc.text`); `before` is the text it edits. */
export function undoLast(doc: Doc): (Edit & { before: string }) | undefined {
  const u = doc.undo.pop();
  if (!u) return undefined;
  const before = doc.text;
  doc.text = before.slice(0, u.start) + u.insert + before.slice(u.end);
  return { ...u, before };
}

/** A function with a blocking call appended: a finding that only this version has. */
export function sentinel(doc: Doc, round: number): Edit {
  const insert = `export async function sentinel${round}(p: string) {\n  return fs.readFileSync(p, 'utf8');\n}\n`;
  return { what: `sentinel ${round}`, start: doc.text.length, end: doc.text.length, insert };
}

/** The LSP range of `[start, end)` in `text`. */
export function rangeOf(text: string, start: number, end: number): Range {
  const pos = (o: number) => {
    const before = text.slice(0, o).split('\n');
    return { line: before.length - 1, character: before[before.length - 1]!.length };
  };
  return { start: pos(start), end: pos(end) };
}
