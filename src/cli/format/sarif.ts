/**
 * `--format sarif`: SARIF 2.1.0, the format GitHub code scanning and other SARIF viewers read.
 * Files under the run's folder are written relative to the `%SRCROOT%` base id, others as
 * absolute file URIs. Indirect findings carry their call chain twice: as `relatedLocations` (shown
 * as links by most viewers) and as a `codeFlow` (shown step by step by the richer ones).
 */
import { pathToFileURL } from 'node:url';
import { ruleDefaults, ruleIds } from '../../../server/src/analysis/rules';
import type { AnalysisResult, Finding, Severity } from '../../../server/src/analysis/types';
import { displayPath } from './text';

/** Where the run happened and where the tool's docs live. */
export interface SarifOptions {
  /** The folder relative URIs are resolved against (`%SRCROOT%`). */
  cwd: string;
  /** The tool's version, e.g. from package.json. */
  version: string;
  /** Absolute path of the folder holding `docs/rules/<id>.md` and README.md. */
  packageRoot: string;
}

type Level = 'error' | 'warning' | 'note';
type Json = Record<string, unknown>;

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const ROOT_ID = '%SRCROOT%';

/** Maps our severities to SARIF levels (SARIF has no `info`: `note` is its lowest). */
export function sarifLevel(s: Severity): Level {
  return s === 'info' ? 'note' : s;
}

/** Serialises a result as a SARIF 2.1.0 log with one run. Ends with a newline. */
export function formatSarif(result: AnalysisResult, options: SarifOptions): string {
  // Every rule of the catalog is listed (viewers show rules with no results too), plus any id a
  // finding carries that the catalog does not know, so each result's ruleIndex is valid.
  const ids: string[] = [...ruleIds];
  for (const f of result.findings) if (!ids.includes(f.rule)) ids.push(f.rule);
  const rules = ids.map((id) => ruleDescriptor(id, result.findings, options));
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'loop-lens',
            version: options.version,
            informationUri: pathToFileURL(`${options.packageRoot}/README.md`).href,
            rules,
          },
        },
        originalUriBaseIds: { [ROOT_ID]: { uri: dirUri(options.cwd) } },
        invocations: [invocation(result, options)],
        results: result.findings.map((f) => sarifResult(f, ids.indexOf(f.rule), options)),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function ruleDescriptor(id: string, findings: Finding[], options: SarifOptions): Json {
  const defaults = (ruleDefaults as Record<string, { category: string; severity: Severity }>)[id];
  const seen = findings.find((f) => f.rule === id);
  const severity = defaults?.severity ?? seen?.severity ?? 'warning';
  const descriptor: Json = {
    id,
    shortDescription: { text: RULE_TEXT[id] ?? `${seen?.api ?? id} blocks the event loop.` },
    helpUri: pathToFileURL(`${options.packageRoot}/docs/rules/${id}.md`).href,
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: { category: defaults?.category ?? seen?.category },
  };
  if (seen) descriptor.fullDescription = { text: `${seen.why} Instead: ${seen.replacement}` };
  return descriptor;
}

/** One line per rule for viewers' rule lists; docs/rules/<id>.md has the full story. */
const RULE_TEXT: Record<string, string> = {
  'sync-fs': 'Synchronous file-system call on the event loop.',
  'sync-child-process': 'Synchronous child process on the event loop.',
  'sync-zlib': 'Synchronous compression on the event loop.',
  'sync-crypto': 'Synchronous CPU-heavy crypto on the event loop.',
  'sync-random': 'Synchronous random bytes on the event loop.',
  'blocking-library': 'Synchronous call of a blocking third-party library on the event loop.',
  'atomics-wait': 'Atomics.wait blocks the event loop thread.',
  'require-in-function': 'require() inside a function loads a module synchronously.',
  'busy-wait': 'Busy-wait loop spins on the event loop.',
  redos: 'Regular expression with catastrophic backtracking applied to variable input.',
  'threadpool-fanout': 'Unbounded fan-out of work onto the 4-thread libuv pool.',
  'custom-blocking': 'Call of a function the project configured as blocking.',
  'json-io':
    'JSON.parse or JSON.stringify of data read from a file or a request, on the event loop.',
};

function sarifResult(f: Finding, ruleIndex: number, options: SarifOptions): Json {
  const result: Json = {
    ruleId: f.rule,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [
      location(
        f.file,
        {
          startLine: f.line,
          startColumn: f.column,
          endLine: f.endLine,
          endColumn: f.endColumn,
        },
        options,
      ),
    ],
    properties: { category: f.category, api: f.api },
  };
  if (f.chain.length > 0) {
    result.relatedLocations = f.chain.map((s, i) => ({
      id: i + 1,
      ...location(s.file, { startLine: s.line }, options),
      message: { text: s.name },
    }));
    const steps = f.chain.map((s) => ({
      location: { ...location(s.file, { startLine: s.line }, options), message: { text: s.name } },
    }));
    result.codeFlows = [{ threadFlows: [{ locations: steps }] }];
  }
  return result;
}

function location(file: string, region: Json | undefined, options: SarifOptions): Json {
  const rel = displayPath(file, options.cwd);
  const artifactLocation =
    rel === file
      ? { uri: pathToFileURL(file).href }
      : { uri: rel.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: ROOT_ID };
  // SARIF requires a region to hold at least a start; a whole-file location has none.
  return { physicalLocation: region ? { artifactLocation, region } : { artifactLocation } };
}

/** Skipped and partial files become tool notifications, so a viewer shows what was not checked. */
function invocation(result: AnalysisResult, options: SarifOptions): Json {
  return {
    executionSuccessful: true,
    toolExecutionNotifications: result.notes.map((n) => ({
      level: n.kind === 'error' ? 'error' : 'note',
      message: { text: `${n.kind}: ${n.reason}` },
      locations: [location(n.file, undefined, options)],
    })),
  };
}

function dirUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}
