/** Human labels of stall kinds, the same in the sidebar, the editor and the reports. */
import type { StallKind } from './runtime';

/** A human label for a stall kind. */
export function kindLabel(kind: StallKind | string): string {
  switch (kind) {
    case 'cpu':
      return 'CPU';
    case 'sync-io':
      return 'sync I/O';
    case 'gc':
      return 'GC';
    case 'native':
      return 'native';
    case 'starved':
      return 'starved (busy machine)';
    default:
      return String(kind);
  }
}

/** Whether a stall is the code's own doing (every kind but `starved`). */
export function isCodeStall(s: { kind: StallKind | string }): boolean {
  return s.kind !== 'starved';
}
