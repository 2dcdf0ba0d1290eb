/**
 * Import edits for a rewrite: reuse what the file already imports, add a name to an existing
 * import of the same module, or add one import in the file's own style (ESM `import` or
 * CommonJS `require`, its quotes, semicolons and `node:` habit); drop specifiers that the rewrite
 * left unused.
 */
import { ts } from 'ts-morph';
import type { ImportSite, ModuleBinding } from './bindings';
import { isRequireCall, type SourceText } from './source';
import type { FixEdit } from './types';

/** Node built-ins the rewrites import from; they get the file's `node:` prefix habit. */
const BUILTINS = new Set(['fs', 'fs/promises', 'util', 'child_process', 'zlib', 'crypto']);

/** Collects the import changes of one fix and turns them into non-overlapping edits. */
export class ImportPlan {
  private readonly adds = new Map<ImportSite, string[]>();
  private readonly removes = new Map<ImportSite, Set<string>>();
  private readonly fresh = new Map<string, string[]>();
  private readonly planned = new Set<string>();

  constructor(
    private readonly src: SourceText,
    private readonly bindings: ModuleBinding[],
    private readonly names: Map<string, ts.Identifier[]>,
  ) {}

  /**
   * Text that refers to `exportName` of the first module of `modules` the file can use: an
   * existing named binding, `ns.exportName` through a namespace binding, or a new named import
   * (of `modules[0]`). Undefined when the name would clash with another binding.
   */
  refer(modules: string[], exportName: string): string | undefined {
    const named = this.bindings.find(
      (b) => b.kind === 'named' && b.exportName === exportName && modules.includes(b.module),
    );
    if (named) return named.local;
    const ns = this.bindings.find((b) => b.kind === 'namespace' && modules.includes(b.module));
    if (ns) return `${ns.local}.${exportName}`;
    if (this.planned.has(exportName)) return exportName;
    if (this.names.has(exportName)) return undefined;
    this.planned.add(exportName);
    const site = this.bindings.find(
      (b) => b.module === modules[0] && b.site.list && !b.site.typeOnly,
    )?.site;
    if (site) push(this.adds, site, exportName);
    else push(this.fresh, this.specifierFor(modules[0]!), exportName);
    return exportName;
  }

  /** Drops a named binding (its specifier, or the whole statement when it was the last). */
  remove(binding: ModuleBinding): void {
    if (!binding.site.list) return;
    const set = this.removes.get(binding.site) ?? new Set<string>();
    set.add(binding.local);
    this.removes.set(binding.site, set);
  }

  /** The edits, in file order; a removed statement is replaced by the new import, if any. */
  edits(): FixEdit[] {
    const out: FixEdit[] = [];
    let newText = this.newImportsText();
    const sites = new Set([...this.adds.keys(), ...this.removes.keys()]);
    for (const site of sites) {
      const edit = this.siteEdit(site, newText);
      if (edit.consumedNew) newText = '';
      out.push(edit.edit);
    }
    if (newText) out.push(this.insertion(newText));
    return out;
  }

  private siteEdit(site: ImportSite, newText: string): { edit: FixEdit; consumedNew: boolean } {
    const list = site.list!;
    const removed = this.removes.get(site) ?? new Set<string>();
    const kept = list.elements.filter((el) => !removed.has(el.name.getText(this.src.sf)));
    const items = [...kept.map((el) => el.getText(this.src.sf)), ...(this.adds.get(site) ?? [])];
    if (items.length > 0) {
      return { edit: this.replaceNode(list, this.listText(list, items)), consumedNew: false };
    }
    const clause = ts.isImportDeclaration(site.statement) ? site.statement.importClause : undefined;
    if (clause?.name) {
      // `import fs, { readFileSync } from 'fs'` keeps the default import.
      const edit = this.src.edit(clause.name.getEnd(), list.parent.getEnd(), '');
      return { edit, consumedNew: false };
    }
    const st = site.statement;
    const start = this.src.lineTextAt(st.getStart(this.src.sf)).start;
    const end = lineEnd(this.src.text, st.getEnd());
    if (newText) return { edit: this.src.edit(start, end, newText), consumedNew: true };
    const next = end < this.src.text.length ? end + 1 : end;
    return { edit: this.src.edit(start, next, ''), consumedNew: false };
  }

  private replaceNode(node: ts.Node, text: string): FixEdit {
    return this.src.edit(node.getStart(this.src.sf), node.getEnd(), text);
  }

  private listText(list: ts.NamedImports | ts.ObjectBindingPattern, items: string[]): string {
    const original = list.getText(this.src.sf);
    if (!original.includes('\n')) return `{ ${items.join(', ')} }`;
    const first = list.elements[0];
    const indent = first
      ? this.src.lineTextAt(first.getStart(this.src.sf)).text.match(/^\s*/)![0]
      : '  ';
    const outer = this.src.lineTextAt(list.getEnd() - 1).text.match(/^\s*/)![0];
    const trailing = list.elements.hasTrailingComma ? ',' : '';
    return `{\n${items.map((i) => indent + i).join(',\n')}${trailing}\n${outer}}`;
  }

  private newImportsText(): string {
    const style = this.style();
    const lines: string[] = [];
    for (const [specifier, names] of this.fresh) {
      const q = `${style.quote}${specifier}${style.quote}`;
      lines.push(
        style.esm
          ? `import { ${names.join(', ')} } from ${q}${style.semi}`
          : `${style.keyword} { ${names.join(', ')} } = require(${q})${style.semi}`,
      );
    }
    return lines.join('\n');
  }

  private insertion(text: string): FixEdit {
    const sts = this.src.sf.statements;
    let last: ts.Statement | undefined;
    for (const st of sts) {
      if (isImportStatement(st)) last = st;
      else if (last || !isDirective(st)) break;
    }
    if (last) {
      const at = lineEnd(this.src.text, last.getEnd());
      return this.src.edit(at, at, `\n${text}`);
    }
    const directives = sts.filter((s, i) => isDirective(s) && sts.slice(0, i).every(isDirective));
    const lastDirective = directives[directives.length - 1];
    if (lastDirective) {
      const at = lineEnd(this.src.text, lastDirective.getEnd());
      return this.src.edit(at, at, `\n\n${text}`);
    }
    const at = this.topOffset();
    const rest = this.src.text.slice(at);
    return this.src.edit(at, at, `${text}\n${/^\r?\n/.test(rest) || rest === '' ? '' : '\n'}`);
  }

  /** Where a first import goes in a file without imports: after a shebang and a header comment. */
  private topOffset(): number {
    const text = this.src.text;
    let at = text.startsWith('#!') ? lineEnd(text, 0) + 1 : 0;
    const comments = ts.getLeadingCommentRanges(text, at) ?? [];
    const lastComment = comments[comments.length - 1];
    if (lastComment) {
      const after = text.slice(lastComment.end);
      // A header comment followed by a blank line belongs to the file, not to the first statement.
      const m = /^[ \t]*\r?\n[ \t]*\r?\n/.exec(after);
      if (m) at = lastComment.end + m[0].length;
    }
    return Math.min(at, text.length);
  }

  private specifierFor(module: string): string {
    return BUILTINS.has(module) && this.style().nodePrefix ? `node:${module}` : module;
  }

  private style(): {
    esm: boolean;
    quote: string;
    semi: string;
    keyword: string;
    nodePrefix: boolean;
  } {
    const sites = this.bindings.map((b) => b.site);
    const first = sites[0]?.statement ?? this.src.sf.statements[0];
    const firstText = first?.getText(this.src.sf) ?? '';
    const quote = /['"]/.exec(firstText)?.[0] ?? "'";
    const semi = first && !firstText.trimEnd().endsWith(';') ? '' : ';';
    const req = sites.find((s) => s.style === 'cjs' && ts.isVariableStatement(s.statement));
    const keyword = req ? req.statement.getText(this.src.sf).split(/\s/)[0]! : 'const';
    const builtin = sites.find((s) => BUILTINS.has(s.specifier.replace(/^node:/, '')));
    const nodePrefix = builtin ? builtin.specifier.startsWith('node:') : true;
    return { esm: this.src.isEsm, quote, semi, keyword, nodePrefix };
  }
}

function push<K>(map: Map<K, string[]>, key: K, value: string): void {
  const list = map.get(key) ?? [];
  if (!list.includes(value)) list.push(value);
  map.set(key, list);
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl < 0) return text.length;
  return text[nl - 1] === '\r' ? nl - 1 : nl;
}

function isImportStatement(st: ts.Statement): boolean {
  if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) return true;
  return (
    ts.isVariableStatement(st) &&
    st.declarationList.declarations.every((d) => d.initializer && requireRoot(d.initializer))
  );
}

/** `require('x')`, `require('x').y` or `require('x').y.z`. */
function requireRoot(expr: ts.Expression): boolean {
  let e = expr;
  while (ts.isPropertyAccessExpression(e)) e = e.expression;
  return isRequireCall(e);
}

function isDirective(st: ts.Statement): boolean {
  return ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression);
}
