/** Typed wrapper around `acquireVsCodeApi`: posts only messages of the protocol. */
import type { FromWebviewMessage } from '../../src/shared/protocol/webview';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

export interface VsCodeApi {
  post(message: FromWebviewMessage): void;
  /** View-local UI state that survives the view being hidden (expanded rows, zoom). */
  getState<T extends object>(): Partial<T>;
  setState<T extends object>(state: T): void;
}

let api: VsCodeApi | undefined;

/** The API; `acquireVsCodeApi` may only be called once per page, so it is cached. */
export function vscode(): VsCodeApi {
  if (api) return api;
  const raw = acquireVsCodeApi();
  api = {
    post: (m) => raw.postMessage(m),
    getState: <T extends object>() => (raw.getState() ?? {}) as Partial<T>,
    setState: (s) => raw.setState(s),
  };
  return api;
}
