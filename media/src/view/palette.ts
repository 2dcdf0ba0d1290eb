/** Colours for canvas drawing, read from the theme's `--vscode-*` variables via media/styles. */
import type { StallKind } from '../../../src/shared/protocol/runtime';
import { cssVar } from './dom';

export interface Palette {
  kinds: Record<StallKind, string>;
  delay: string;
  threshold: string;
  grid: string;
  text: string;
  font: string;
  focus: string;
  running: string;
  sleeping: string;
  diskWait: string;
  other: string;
  saturated: string;
}

/** Reads the palette once per render: themes can change while the view is open. */
export function readPalette(el: Element): Palette {
  const v = (name: string, fallback: string): string => cssVar(el, name, fallback);
  return {
    kinds: {
      cpu: v('--ll-kind-cpu', '#f14c4c'),
      'sync-io': v('--ll-kind-sync-io', '#cca700'),
      gc: v('--ll-kind-gc', '#b180d7'),
      native: v('--ll-kind-native', '#3794ff'),
      starved: v('--ll-kind-starved', '#888'),
    },
    delay: v('--ll-delay', '#3794ff'),
    threshold: v('--ll-threshold', '#cca700'),
    grid: v('--ll-grid', 'rgba(128,128,128,0.25)'),
    text: v('--ll-muted', '#888'),
    font: `10px ${v('--vscode-font-family', 'sans-serif')}`,
    focus: v('--vscode-focusBorder', '#007fd4'),
    running: v('--ll-thread-running', '#89d185'),
    sleeping: v('--ll-thread-sleeping', 'rgba(128,128,128,0.25)'),
    diskWait: v('--ll-thread-disk', '#d18616'),
    other: v('--ll-thread-other', '#888'),
    saturated: v('--ll-saturated', '#f14c4c'),
  };
}

export { kindLabel } from '../../../src/shared/protocol/stallKinds';
