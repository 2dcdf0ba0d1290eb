/**
 * The package.json change of the Piscina variant of "Run in a worker thread": `piscina` added to
 * `dependencies` (kept when it is already a dependency of any kind).
 */

/** The version range the quick fix adds (Piscina 5 runs on Node 20 and later). */
export const PISCINA_RANGE = '^5.3.2';

/** The new package.json text, or undefined when nothing changes or the file is not JSON. */
export function withPiscina(text: string): string | undefined {
  let pkg: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    pkg = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const has = (key: string): boolean => {
    const deps = pkg[key];
    return typeof deps === 'object' && deps !== null && 'piscina' in deps;
  };
  if (['dependencies', 'devDependencies', 'optionalDependencies'].some(has)) return undefined;
  const deps = {
    ...(pkg.dependencies as Record<string, string> | undefined),
    piscina: PISCINA_RANGE,
  };
  const sorted = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const out = JSON.stringify({ ...pkg, dependencies: sorted }, null, indent).replace(/\n/g, nl);
  return /\r?\n$/.test(text) ? out + nl : out;
}
