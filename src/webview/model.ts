import type { PanelConfig, RunState, RunSummary } from '../panel-protocol';

// What the panel shows, as the extension last sent it: its config, the run history and the run in view.
// The extension owns all of it and replays it on 'ready'; the page only renders it.

export const view: { config: PanelConfig; runs: RunSummary[]; run: RunState | undefined } = {
  config: { trusted: true, endpoint: '' },
  runs: [],
  run: undefined,
};
