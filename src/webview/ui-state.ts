import { host } from './host';

// What the user opened, closed and typed in the panel: kept by VS Code across hides and reloads, so a
// replayed run looks the way it was left.

export interface UiState {
  /** Expanded/collapsed sections by key; keys not starting with 'step:' belong to one run. */
  open: Record<string, boolean>;
  /** Plans being edited, by `${runId}:${planIndex}`. */
  drafts: Record<string, string>;
}

export const ui: UiState = { open: {}, drafts: {}, ...host.getState() };

export function isOpen(key: string, fallback: boolean): boolean {
  return ui.open[key] ?? fallback;
}

export function saveUi(): void {
  host.setState(ui);
}

/** Only the shown run's section states are kept, so the saved state stays small. */
export function pruneUiState(runId: string | undefined): void {
  const keep = (k: string) => k.startsWith('step:') || (runId !== undefined && k.startsWith(`${runId}:`));
  ui.open = Object.fromEntries(Object.entries(ui.open).filter(([k]) => keep(k)));
  ui.drafts = Object.fromEntries(Object.entries(ui.drafts).filter(([k]) => keep(k)));
  saveUi();
}
