/**
 * The worker module of "Run in a worker thread": the imports the function needs, the moved
 * function (or, for an imported helper, an import of it from its own module), and the entry
 * point: a Piscina task (`export default function run(args)`) or a `worker_threads` script.
 */
import { collectBindings, type ModuleBinding } from '../bindings';
import type { SourceText } from '../source';
import type { OffloadPlan } from './check';

/** How the worker module is written. */
export interface WorkerStyle {
  library: 'piscina' | 'worker_threads';
  esm: boolean;
  isTs: boolean;
  /** The calling file re-exports the function from this module (so it must not post on load). */
  reexported: boolean;
}

/** The worker module's lines. */
export function workerModule(src: SourceText, plan: OffloadPlan, s: WorkerStyle): string[] {
  const n = plan.name;
  const from = `./${baseName(src.fileName)}`;
  const lines = plan.moved
    ? [
        `// Runs in a worker thread: Loop Lens moved \`${plan.moved.target.display}\` here from ${from}`,
        '// so that its CPU work no longer blocks the event loop.',
      ]
    : [
        `// Runs \`${n}\` (from ${plan.imports[0]!.site.specifier}) in a worker thread for ${from},`,
        '// so that its CPU work no longer blocks the event loop.',
      ];
  if (s.library === 'worker_threads') {
    const names = s.reexported ? 'isMainThread, parentPort, workerData' : 'parentPort, workerData';
    lines.push(
      s.esm || s.isTs
        ? `import { ${names} } from 'node:worker_threads';`
        : `const { ${names} } = require('node:worker_threads');`,
    );
  }
  lines.push(...importLines(src, plan.imports));
  if (plan.moved) {
    const { doc, code } = plan.moved;
    lines.push('', ...(doc ? [doc] : []), (s.isTs || s.esm ? 'export ' : '') + code);
  }
  lines.push('');
  if (s.library === 'worker_threads') {
    const data = s.isTs ? `(workerData as Parameters<typeof ${n}>)` : 'workerData';
    const post = `parentPort${s.isTs ? '!' : ''}.postMessage(${n}(...${data}));`;
    lines.push(...(s.reexported ? ['if (!isMainThread) {', `  ${post}`, '}'] : [post]));
    return lines;
  }
  const doc = `/** The pool's task: \`${n}\` applied to the arguments of one call. */`;
  if (s.isTs) {
    lines.push(
      doc,
      `export default function run(args: Parameters<typeof ${n}>): ReturnType<typeof ${n}> {`,
      `  return ${n}(...args);`,
      '}',
    );
  } else if (s.esm) {
    lines.push(doc, 'export default function run(args) {', `  return ${n}(...args);`, '}');
  } else {
    lines.push(doc, 'module.exports = function run(args) {', `  return ${n}(...args);`, '};');
  }
  return lines;
}

/**
 * Import statements for `bindings`: a statement as written when it binds only those names,
 * else one that binds just them (so that nothing unused is imported).
 */
function importLines(src: SourceText, bindings: ModuleBinding[]): string[] {
  const all = collectBindings(src);
  const sites = [...new Set(bindings.map((b) => b.site))];
  return sites.map((site) => {
    const used = bindings.filter((b) => b.site === site);
    const named = used.every((b) => b.kind === 'named');
    if (all.filter((b) => b.site === site).length === used.length || !named) {
      return site.statement.getText(src.sf);
    }
    const rename = site.style === 'esm' ? ' as ' : ': ';
    const list = used
      .map((b) => (b.exportName === b.local ? b.local : `${b.exportName}${rename}${b.local}`))
      .join(', ');
    return site.style === 'esm'
      ? `import { ${list} } from '${site.specifier}';`
      : `const { ${list} } = require('${site.specifier}');`;
  });
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}
