import type { FromWebview } from '../panel-protocol';
import type { UiState } from './ui-state';

// The page's one handle on VS Code: messages to the extension, and the state VS Code keeps for the page
// while it is hidden or reloaded.

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): UiState | undefined;
  setState(s: UiState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Acquired once: VS Code refuses a second call. */
export const host = acquireVsCodeApi();

export function post(m: FromWebview): void {
  host.postMessage(m);
}
