/**
 * Maps generated positions (what V8 reports) to original source positions through the file's
 * own `//# sourceMappingURL` (a file next to it or an inline `data:` map). A map that cannot be
 * read or parsed is reported once; its file keeps generated positions.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LEAST_UPPER_BOUND,
  TraceMap,
  originalPositionFor,
  sourceContentFor,
} from '@jridgewell/trace-mapping';

export interface SourcePosition {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  name?: string;
}

/** `file:///x` → `/x`; absolute paths stay; `node:fs`, `evalmachine`, '' stay as they are. */
export function urlToPath(url: string): string {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

/** A local file we may read: an absolute path, not a Node internal, not an eval. */
export function isLocalFile(p: string): boolean {
  return path.isAbsolute(p) && !p.startsWith('node:');
}

const MAP_COMMENT = /\/\/[#@]\s*sourceMappingURL=(\S+)\s*$/;

export class SourceMapResolver {
  private readonly maps = new Map<string, Promise<TraceMap | undefined>>();
  private readonly texts = new Map<string, Promise<string | undefined>>();

  /** @param onWarning where a problem worth telling the user goes (a recording's warnings). */
  constructor(readonly onWarning: (message: string) => void = () => undefined) {}

  /** Text of a local file (cached). */
  text(file: string): Promise<string | undefined> {
    let t = this.texts.get(file);
    if (!t) {
      t = isLocalFile(file)
        ? fs.readFile(file, 'utf8').catch(() => undefined)
        : Promise.resolve(undefined);
      this.texts.set(file, t);
    }
    return t;
  }

  /** Reads a file and its source map (cached): a caller awaits all of a stack's files at once. */
  async prepare(file: string): Promise<void> {
    await this.map(file);
  }

  private map(file: string): Promise<TraceMap | undefined> {
    let m = this.maps.get(file);
    if (!m) {
      m = this.loadMap(file);
      this.maps.set(file, m);
    }
    return m;
  }

  private async loadMap(file: string): Promise<TraceMap | undefined> {
    const text = await this.text(file);
    if (!text) return undefined;
    const tail = text.slice(Math.max(0, text.length - 4096)).trimEnd();
    const lastLine = tail.slice(tail.lastIndexOf('\n') + 1);
    const m = MAP_COMMENT.exec(lastLine);
    if (!m) return undefined;
    const ref = m[1];
    try {
      if (ref.startsWith('data:')) {
        const comma = ref.indexOf(',');
        const meta = ref.slice(0, comma);
        const data = ref.slice(comma + 1);
        const json = meta.endsWith(';base64')
          ? Buffer.from(data, 'base64').toString('utf8')
          : decodeURIComponent(data);
        return new TraceMap(json, file);
      }
      const mapFile = path.resolve(path.dirname(file), decodeURIComponent(ref));
      return new TraceMap(await fs.readFile(mapFile, 'utf8'), mapFile);
    } catch (e) {
      this.onWarning(
        `source map of ${file} is unusable (${(e as Error).message}); showing generated positions`,
      );
      return undefined;
    }
  }

  /**
   * Original position of a generated 1-based line and 0-based column. `column` undefined means
   * "somewhere on this line" (profile line ticks): the first mapping at or after column 0.
   */
  async original(file: string, line: number, column?: number): Promise<SourcePosition> {
    const fallback = { file, line, column: (column ?? 0) + 1 };
    const map = await this.map(file);
    if (!map) return fallback;
    const bias = column === undefined ? LEAST_UPPER_BOUND : undefined;
    let pos = originalPositionFor(map, { line, column: column ?? 0, ...(bias ? { bias } : {}) });
    if (pos.source === null && column !== undefined) {
      pos = originalPositionFor(map, { line, column, bias: LEAST_UPPER_BOUND });
    }
    if (pos.source === null) return fallback;
    const src = pos.source.startsWith('file://') ? urlToPath(pos.source) : pos.source;
    return {
      file: src,
      line: pos.line,
      column: pos.column + 1,
      ...(pos.name ? { name: pos.name } : {}),
    };
  }

  /** Source text of an original file: the map's `sourcesContent`, else the file on disk. */
  async originalText(generatedFile: string, originalFile: string): Promise<string | undefined> {
    if (generatedFile !== originalFile) {
      const map = await this.map(generatedFile);
      const inline = map ? sourceContentFor(map, originalFile) : null;
      if (inline) return inline;
    }
    return this.text(originalFile);
  }
}
