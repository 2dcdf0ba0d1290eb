// One run of a language server on one workspace of the LSP benchmark (bench/lsp.mjs): initialize,
// open a file, time its first diagnostics; hover and code-action requests while our workspace
// scan runs; then edits, each waiting for the diagnostics that reflect it; CPU and memory.
import { readFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { delay, startServer } from './lspClient.mjs';

/**
 * A workspace: `dir`, the opened `file`, `edit(base, k)` → { text, present, name, line } (odd k
 * adds the blocking call, even k removes it), `edits`, the state `openAt` (0 = as on disk, 1 =
 * with the call) the file is opened in, and a `position` to hover.
 */
export async function runServer(ws, server) {
  // A cold start: no summaries kept from an earlier start (V8's code cache stays).
  if (server.coldCache) rmSync(server.coldCache, { recursive: true, force: true });
  const s = startServer(server.command, server.args, server.label, server.settings, server.env);
  try {
    const uri = pathToFileURL(ws.file).toString();
    const base = readFileSync(ws.file, 'utf8');
    const opened = ws.openAt ? ws.edit(base, ws.openAt).text : base;
    // Every publish of the opened file until the scan ends: the first one may hold only the
    // findings the file shows alone; "complete" is the first that equals the set after the scan.
    const pubs = [];
    const t0 = performance.now();
    void s.waitFor((p) => {
      if (p?.uri === uri && !s.progressEnded) pubs.push([performance.now() - t0, p.diagnostics]);
      return s.progressEnded;
    }, 600_000);
    await s.initialize(ws.dir, server.init ?? {});
    const first = s.waitFor((p) => p?.uri === uri, 600_000);
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: ws.languageId, version: 1, text: opened },
    });
    await first;
    const firstMs = performance.now() - t0;
    const firstCpu = s.cpuMs();
    const scanRunning = !s.progressEnded;
    const probes = server.probe ? await probeWhileScanning(s, uri, ws.position) : undefined;
    const scanMs = server.probe ? s.progressEndedAt - t0 : undefined;
    const completeMs = server.probe ? completeAt(pubs, s.lastOf(uri)) : undefined;
    const marks = milestones(s.stderr());
    const lat = await editLatencies(s, ws, uri, base, server.marker);
    const mem = s.rssMb();
    return { firstMs, firstCpu, completeMs, marks, scanRunning, probes, scanMs, lat, mem };
  } finally {
    await s.stop();
  }
}

/** When the opened file first showed the set it has after the scan. */
function completeAt(pubs, final) {
  const key = (d) => JSON.stringify(d.map((x) => [x.range, x.code, x.message]).sort());
  return pubs.find(([, d]) => key(d) === key(final ?? []))?.[0];
}

/** The server's start milestones (`LOOP_LENS_TRACE`): name → ms after its process started. */
function milestones(stderr) {
  const out = {};
  for (const m of stderr.matchAll(/^loop-lens-trace (\S+) ([\d.]+)$/gm)) out[m[1]] ??= Number(m[2]);
  return out;
}

/** `ws.edits` edits; each waits for the diagnostics that reflect it. */
async function editLatencies(s, ws, uri, base, hasMarker) {
  const out = [];
  const cpu0 = s.cpuMs();
  for (let i = 1; i <= ws.edits; i++) {
    const k = i + (ws.openAt ?? 0);
    const e = ws.edit(base, k);
    const done = s.waitFor((p) => p?.uri === uri && hasMarker(p.diagnostics, e) === e.present);
    const t = performance.now();
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 1 },
      contentChanges: [{ text: e.text }],
    });
    await done;
    out.push(performance.now() - t);
  }
  out.cpuPerEdit = (s.cpuMs() - cpu0) / ws.edits;
  return out;
}

/**
 * Until the scan ends: a hover, 25 ms pause, a code-action request, 25 ms pause, … How long the
 * server makes a person wait while it scans the workspace.
 */
async function probeWhileScanning(s, uri, position) {
  const hover = [];
  const actions = [];
  const textDocument = { uri };
  while (!s.progressEnded) {
    let t = performance.now();
    await s.conn.sendRequest('textDocument/hover', { textDocument, position });
    hover.push(performance.now() - t);
    await delay(25);
    if (s.progressEnded) break;
    t = performance.now();
    await s.conn.sendRequest('textDocument/codeAction', {
      textDocument,
      range: { start: position, end: position },
      context: { diagnostics: [] },
    });
    actions.push(performance.now() - t);
    await delay(25);
  }
  return { hover, actions };
}

/** Our diagnostic for the edit's call: sync-fs on the added line. */
export const oursMarker = (diags, e) =>
  diags.some(
    (d) =>
      d.code === 'sync-fs' &&
      String(d.message).includes('readFileSync') &&
      d.range.start.line === (e.line ?? -1),
  );

/** typescript-language-server's: the added local is unused (noUnusedLocals). */
export const tsMarker = (diags, e) => diags.some((d) => String(d.message).includes(`'${e.name}'`));
