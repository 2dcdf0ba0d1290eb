/** HTML views. The mistake: the template is read from disk on every render. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootDir } from './startup';

const templatesDir = join(rootDir, 'templates');

/** Reads a template by name. Synchronous: fine at startup, a stall when called per request. */
export function loadTemplate(name: string): string {
  return readFileSync(join(templatesDir, `${name}.html`), 'utf8');
}

/** Fills `{{key}}` placeholders of a template. */
export function render(name: string, vars: Record<string, string>): string {
  const template = loadTemplate(name);
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => escapeHtml(vars[key] ?? ''));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
