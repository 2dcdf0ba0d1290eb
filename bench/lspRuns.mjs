// One run of a language server on one workspace of the LSP benchmark (bench/lsp.mjs): initialize,
// open a file, time its first diagnostics; hover and code-action requests while our workspace
// scan runs; then edits, each waiting for the diagnostics that reflect it; CPU and memory.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { delay, startServer } from './lspClient.mjs';

/**
 * A workspace: `dir`, the opened `file`, `edit(base, k)` → { text, present, name, line } (odd k
 * adds the blocking call, even k removes it), `edits`, the state `openAt` (0 = as on disk, 1 =
 * with the call) the file is opened in, and a `position` to hover.
 */
export async function runServer(ws, server) {
  const s = startServer(server.command, server.args, server.label, server.settings);
  try {
    const uri = pathToFileURL(ws.file).toString();
    const base = readFileSync(ws.file, 'utf8');
    const opened = ws.openAt ? ws.edit(base, ws.openAt).text : base;
    const t0 = performance.now();
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
    const lat = await editLatencies(s, ws, uri, base, server.marker);
    const mem = s.rssMb();
    return { firstMs, firstCpu, scanRunning, probes, scanMs, lat, mem };
  } finally {
    await s.stop();
  }
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
