/** Tiny DOM helpers: elements are built with properties, never with HTML strings. */

type Attrs = Record<string, string | number | boolean | undefined>;

/** Creates `<tag>` with attributes (`class`, `aria-*`, `data-*`, …) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === undefined || c === false) continue;
    el.append(c);
  }
  return el;
}

/** Replaces the children of `parent`, keeping keyboard focus on the element with the same key. */
export function replaceChildrenKeepFocus(parent: HTMLElement, ...children: Node[]): void {
  const active = document.activeElement;
  const key =
    active instanceof HTMLElement && parent.contains(active) ? active.dataset.key : undefined;
  parent.replaceChildren(...children);
  if (key === undefined) return;
  const again = parent.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
  again?.focus();
}

/** Reads a CSS custom property (e.g. a theme colour) as computed on `el`. */
export function cssVar(el: Element, name: string, fallback: string): string {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

/** A canvas whose backing store follows its CSS size and the device pixel ratio. */
export function sizeCanvas(
  canvas: HTMLCanvasElement,
  cssHeight: number,
): CanvasRenderingContext2D | undefined {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.floor(canvas.clientWidth));
  canvas.style.height = `${cssHeight}px`;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(cssHeight * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, cssHeight);
  return ctx;
}
