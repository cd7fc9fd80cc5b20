import type { RunState, ToWebview } from '../panel-protocol';
import { view } from './model';
import { render } from './render';
import { appendText, dropQueuedText } from './streaming';
import { pruneUiState } from './ui-state';

// What the extension sends: config, the history, a run to show, and streamed text for the run in view.

export function onMessage(m: ToWebview): void {
  switch (m.type) {
    case 'config':
      view.config = m.config;
      render();
      return;
    case 'state':
      view.runs = m.runs;
      showRun(m.current);
      return;
    case 'history':
      view.runs = m.runs;
      render();
      return;
    case 'run':
      showRun(m.run);
      return;
    case 'patch':
      if (view.run && m.runId === view.run.meta.runId) appendText(m.appends);
      return;
  }
}

function showRun(next: RunState | undefined): void {
  // A snapshot contains every token sent before it: text still waiting for a frame is already in it.
  dropQueuedText();
  if (next?.meta.runId !== view.run?.meta.runId) pruneUiState(next?.meta.runId);
  view.run = next;
  render();
}
