/**
 * The text of the "Run in a worker thread" rewrite: a worker module holding the moved function
 * (with the imports it uses), and the edits of the calling file: the function removed, the call
 * replaced by `await <fn>Pool.run([args])` (Piscina) or `await <fn>InWorker([args])` (plain
 * `worker_threads`), and the pool or helper declared after the imports.
 */
import { ts } from 'ts-morph';
import type { SourceText } from '../source';
import type { FixEdit } from '../types';
import type { OffloadPlan } from './check';
import { leftImportEdits } from './leftImports';
import { workerModule } from './workerModule';

/** What the rewrite targets. */
export interface OffloadOptions {
  library: 'piscina' | 'worker_threads';
  /** The module system the file runs as (from package.json `type` and tsconfig `module`). */
  moduleKind: 'esm' | 'cjs';
}

/** The generated worker module and the edits of the calling file. */
export interface OffloadText {
  /** File name of the worker module, next to the calling file. */
  workerFile: string;
  workerText: string;
  edits: FixEdit[];
}

/** The rewrite for `plan` in `src`. */
export function offloadText(src: SourceText, plan: OffloadPlan, o: OffloadOptions): OffloadText {
  const { sourceExt, runtimeExt } = extensions(src.fileName);
  const isTs = /ts$/.test(sourceExt);
  const esm = runtimeExt === '.mjs' || (runtimeExt !== '.cjs' && o.moduleKind === 'esm');
  const base = `${plan.name}.worker`;
  const runtimeName = `${base}${runtimeExt}`;
  const nl = src.text.includes('\r\n') ? '\r\n' : '\n';
  const head = mainHeader(plan.name, runtimeName, o.library, esm, isTs, src.isEsm);
  const caller = o.library === 'piscina' ? `${plan.name}Pool.run` : `${plan.name}InWorker`;
  const args = plan.call.arguments.map((a) => a.getText(src.sf)).join(', ');
  const awaited = `await ${caller}([${args}])`;
  const callText = needsParens(plan.call) ? `(${awaited})` : awaited;
  const at = headerOffset(src);
  // The import joins the file's imports; the pool or helper follows after a blank line.
  const [importLine, ...rest] = head;
  const header = `${importLine}${nl}${at > 0 ? nl : ''}${rest.join(nl)}${nl}${at > 0 ? '' : nl}`;
  const call = src.edit(plan.call.getStart(src.sf), plan.call.getEnd(), callText);
  const edits: FixEdit[] = [];
  const target = plan.moved?.target;
  if (target) {
    const [start, end] = removalRange(src, target.node);
    // An exported function stays exported, from its new module.
    const gap = /\n[ \t]*\r?\n$/.test(src.text.slice(start, end)) ? nl : '';
    const keep = target.exported
      ? `export { ${plan.name} } from './${runtimeName}';${nl}${gap}`
      : '';
    // The function may start where the header goes: one edit then (edits must not touch).
    if (at === start) edits.push(src.edit(start, end, header + keep));
    else edits.push(src.edit(at, at, header), src.edit(start, end, keep));
  } else {
    edits.push(src.edit(at, at, header));
  }
  edits.push(call, ...leftImportEdits(src, plan));
  const reexported = target?.exported ?? false;
  return {
    workerFile: `${base}${sourceExt}`,
    workerText:
      workerModule(src, plan, { library: o.library, esm, isTs, reexported }).join(nl) + nl,
    edits,
  };
}

/**
 * The lines a declaration or class member takes, with one blank line next to it (after it, or
 * before it when it is the last one), so that no double blank line is left behind.
 */
function removalRange(src: SourceText, node: ts.Node): [number, number] {
  const first = node.getStart(src.sf, true);
  const line = src.lineTextAt(first);
  let start = /^[ \t]*$/.test(src.text.slice(line.start, first)) ? line.start : first;
  let end = lineAfter(src.text, node.getEnd());
  const after = /^[ \t]*\r?\n/.exec(src.text.slice(end));
  const before = /(?<=\n)[ \t]*\r?\n$/.exec(src.text.slice(0, start));
  if (after) end += after[0].length;
  else if (before && start === line.start) start -= before[0].length;
  return [start, end];
}

/** The calling file's pool (Piscina) or one-worker-per-call helper (worker_threads). */
function mainHeader(
  name: string,
  runtimeName: string,
  library: OffloadOptions['library'],
  esm: boolean,
  isTs: boolean,
  importSyntax: boolean,
): string[] {
  const where = esm
    ? `new URL('./${runtimeName}', import.meta.url)`
    : `\`\${__dirname}/${runtimeName}\``;
  const imp = (names: string, spec: string): string =>
    importSyntax || esm
      ? `import { ${names} } from '${spec}';`
      : `const { ${names} } = require('${spec}');`;
  if (library === 'piscina') {
    const filename = esm ? `${where}.href` : where;
    return [
      imp('Piscina', 'piscina'),
      `/** Runs \`${name}\` (./${runtimeName}) on worker threads, off the event loop. */`,
      `const ${name}Pool = new Piscina({ filename: ${filename} });`,
    ];
  }
  const t = (s: string): string => (isTs ? s : '');
  return [
    imp('Worker', 'node:worker_threads'),
    `/** Runs \`${name}\` (./${runtimeName}) in a new worker thread, off the event loop. */`,
    `function ${name}InWorker(args${t(': unknown[]')})${t(': Promise<any>')} {`,
    '  return new Promise((resolve, reject) => {',
    `    const worker = new Worker(${where}, { workerData: args });`,
    "    worker.once('message', resolve);",
    "    worker.once('error', reject);",
    `    worker.once('exit', (code${t(': number')}) => {`,
    `      if (code !== 0) reject(new Error(\`${name} worker stopped with exit code \${code}\`));`,
    '    });',
    '  });',
    '}',
  ];
}

/** The source extension of the worker module and the extension it runs under. */
function extensions(fileName: string): { sourceExt: string; runtimeExt: string } {
  const ext = /\.[cm]?[jt]sx?$/i.exec(fileName)?.[0].toLowerCase() ?? '.js';
  const sourceExt = ext.replace(/x$/, '');
  const runtimeExt = sourceExt.replace('ts', 'js');
  return { sourceExt, runtimeExt };
}

/** Where the header goes: after the last top-level import or require, else at the top. */
function headerOffset(src: SourceText): number {
  let at = 0;
  for (const st of src.sf.statements) {
    const isImport =
      ts.isImportDeclaration(st) ||
      ts.isImportEqualsDeclaration(st) ||
      (ts.isVariableStatement(st) && /\brequire\(/.test(st.getText(src.sf)));
    if (!isImport) break;
    at = lineAfter(src.text, st.getEnd());
  }
  if (at > 0) return at;
  const first = src.sf.statements[0];
  return first ? first.getStart(src.sf, true) : 0;
}

/** The offset after the line break that ends the line holding `offset`. */
function lineAfter(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** Whether `await x` needs parentheses where the call stands. */
function needsParens(call: ts.CallExpression): boolean {
  const p = call.parent;
  return !(
    (ts.isVariableDeclaration(p) && p.initializer === call) ||
    ts.isExpressionStatement(p) ||
    ts.isReturnStatement(p) ||
    (ts.isCallExpression(p) && p.arguments.includes(call)) ||
    ts.isArrayLiteralExpression(p) ||
    ts.isParenthesizedExpression(p) ||
    (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)
  );
}
