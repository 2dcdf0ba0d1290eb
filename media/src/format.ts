/** Small formatters shared by the views. Pure, no DOM. */

/** `850 ms`, `1.2 s`, `2 min 5 s`: precise enough to compare stalls at a glance. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A time offset on the axis: `0 s`, `12.5 s`, `2:05`. */
export function formatOffset(ms: number, spanMs: number): string {
  if (ms >= 60_000) {
    // Zoomed in past a minute: keep the sub-second digits or every tick reads the same.
    const digits = spanMs < 2000 ? 2 : spanMs < 20_000 ? 1 : 0;
    const sec = (ms % 60_000) / 1000;
    const ss = sec.toFixed(digits).padStart(digits ? 3 + digits : 2, '0');
    return `${Math.floor(ms / 60_000)}:${ss}`;
  }
  // Whole seconds print without decimals ("5 s", not "5.0 s").
  if (spanMs < 2000) return `${trimZeros((ms / 1000).toFixed(2))} s`;
  if (spanMs < 20_000) return `${trimZeros((ms / 1000).toFixed(1))} s`;
  return `${Math.round(ms / 1000)} s`;
}

function trimZeros(n: string): string {
  return n.includes('.') ? n.replace(/\.?0+$/, '') : n;
}

/** `10,000`: counts with a thousands separator. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `42 MB` (binary megabytes, like Node's own tools). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** `73 %`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '–';
  return `${Math.round(fraction * 100)} %`;
}

/** The last path segment of a file path or URL (`/a/b/c.js` → `c.js`). */
export function baseName(file: string): string {
  const clean = file.replace(/[?#].*$/, '');
  const i = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'));
  return i >= 0 ? clean.slice(i + 1) || clean : clean;
}

/** The folder part, shortened to its last two segments (`…/src/routes`), for context. */
export function shortDir(file: string): string {
  const clean = file.replace(/^file:\/\//, '').replace(/[?#].*$/, '');
  const parts = clean.split(/[\\/]/).filter(Boolean);
  parts.pop();
  if (parts.length <= 2) return parts.join('/');
  return `…/${parts.slice(-2).join('/')}`;
}

/**
 * `2026-11-26 14:05`: an ISO time in the viewer's local time zone, unambiguous in any locale. A
 * no-break space joins date and time so a narrow sidebar never wraps between them. Undefined for a missing or unparsable time, and for the epoch a file without `startedAt` gets.
 */
export function formatDateTime(iso: string | undefined): string | undefined {
  const d = iso ? new Date(iso) : undefined;
  if (!d || !(d.getTime() > 0)) return undefined;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${day}\u00a0${two(d.getHours())}:${two(d.getMinutes())}`;
}
