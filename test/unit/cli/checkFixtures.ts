/** Small projects and the JSON shape shared by the `loop-lens check` tests. */

export interface JsonOut {
  findings: {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    rule: string;
    severity: string;
    api: string;
    chain: { file: string; line: number; name: string }[];
  }[];
  filesAnalyzed: number;
  durationMs: number;
}

/** An async handler → render() → loadTemplate() → readFileSync across files, and startup reads. */
export const service: Record<string, string> = {
  'src/server.ts': [
    "import { readFileSync } from 'node:fs';",
    "import { render } from './views';",
    "const config = JSON.parse(readFileSync('config.json', 'utf8'));",
    'export async function handle(name: string): Promise<string> {',
    '  return render(name, config);',
    '}',
    '',
  ].join('\n'),
  'src/views.ts': [
    "import * as fs from 'fs';",
    'export function loadTemplate(name: string): string {',
    "  return fs.readFileSync(`views/${name}.html`, 'utf8');",
    '}',
    'export function render(name: string, vars: unknown): string {',
    '  return loadTemplate(name) + JSON.stringify(vars);',
    '}',
    '',
  ].join('\n'),
};

export const clean: Record<string, string> = {
  'src/ok.ts': [
    "import { promises as fsp, readFileSync } from 'node:fs';",
    "const banner = readFileSync('banner.txt', 'utf8');",
    'export async function read(p: string): Promise<string> {',
    "  return banner + (await fsp.readFile(p, 'utf8'));",
    '}',
    '',
  ].join('\n'),
};
