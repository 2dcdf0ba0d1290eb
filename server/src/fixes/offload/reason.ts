/** The hover's sentence on why "Run in a worker thread" is offered for a function. */
import type { ModuleBinding } from '../bindings';
import type { SourceText } from '../source';
import type { Offloadable } from './target';

/** How the function is written, as far as the sentence needs to know. */
export interface ReasonForm {
  kind?: 'function' | 'const' | 'method';
  exported?: boolean;
  /** The specifier of the module an imported helper comes from. */
  imported?: string;
}

/** What was checked, in one paragraph. */
export function reasonText(
  src: SourceText,
  fn: Offloadable,
  name: string,
  imports: ModuleBinding[],
  form: ReasonForm,
): string {
  const params = fn.parameters.map((p) => `\`${p.getText(src.sf)}\``).join(', ') || 'none';
  const modules = [...new Set(imports.map((b) => `\`${b.site.specifier}\``))];
  const uses = form.imported
    ? `, and what its module \`${form.imported}\` declares`
    : modules.length
      ? `, and ${modules.join(', ')}`
      : '';
  const own = form.kind === 'method' ? 'uses neither `this` nor `super`' : 'does not use `this`';
  let text =
    `\`${name}\` is self-contained: it uses only its parameters (${params}), its own ` +
    `locals and built-in globals${uses}; it does not change its arguments and ${own}, so ` +
    'a worker thread computes the same result from a copy of the arguments while the event ' +
    'loop stays free.';
  if (form.kind === 'method') {
    text += ' It moves out of its class as a plain function, and the call awaits the worker.';
  }
  if (form.exported) {
    text += ' It stays exported: this file re-exports it from the worker module.';
  }
  if (form.imported) {
    text +=
      ` It stays where it is: the worker imports it from \`${form.imported}\`, which only imports ` +
      'modules and declares functions and constants when it loads (no server started, no I/O ' +
      'at its top level), so the worker can load it safely.';
  }
  return text;
}
