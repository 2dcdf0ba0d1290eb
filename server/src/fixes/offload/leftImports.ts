/**
 * Imports the moved function was the only user of: they would be left unused in the calling
 * file (a compile error under `noUnusedLocals`), so the rewrite drops them.
 */
import type { ts } from 'ts-morph';
import { collectBindings, usedNames } from '../bindings';
import { ImportPlan } from '../imports';
import type { SourceText } from '../source';
import type { FixEdit } from '../types';
import type { OffloadPlan } from './check';

/**
 * Edits removing the bindings only the moved function (or the replaced call) used: a whole
 * statement when it binds nothing else.
 */
export function leftImportEdits(src: SourceText, plan: OffloadPlan): FixEdit[] {
  const bindings = collectBindings(src);
  const names = usedNames(src);
  const importPlan = new ImportPlan(src, bindings, names);
  const whole: FixEdit[] = [];
  let planned = false;
  for (const b of plan.imports) {
    const elsewhere = (names.get(b.local) ?? []).some(
      (id) =>
        !inside(id, plan.call.expression) &&
        !(plan.moved && inside(id, plan.moved.target.node)) &&
        !inside(id, b.site.statement),
    );
    if (elsewhere) continue;
    if (b.site.list) {
      importPlan.remove(b);
      planned = true;
      continue;
    }
    // `import * as c from …`, `import c from …`, `const c = require(…)`: drop the statement
    // when that is all it binds.
    if (bindings.filter((x) => x.site === b.site).length !== 1) continue;
    const st = b.site.statement;
    const start = src.lineTextAt(st.getStart(src.sf)).start;
    const nl = src.text.indexOf('\n', st.getEnd());
    whole.push(src.edit(start, nl < 0 ? src.text.length : nl + 1, ''));
  }
  return [...(planned ? importPlan.edits() : []), ...whole];
}

function inside(node: ts.Node, container: ts.Node): boolean {
  return node.getStart() >= container.getStart() && node.getEnd() <= container.getEnd();
}
