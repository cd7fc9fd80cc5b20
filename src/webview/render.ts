import { STEPS } from '../run-state';
import { app, atBottom, button, h, icon } from './dom';
import { renderFinal } from './final';
import { renderHeader } from './header';
import { view } from './model';
import { renderStep } from './step';

// The whole page from the model, keeping what a re-render must not disturb: scroll positions (a
// streaming reply stays at its end), the focused field and its selection, the page's own scroll.

export function render(): void {
  const focus = focusedKey();
  const scrolls = Array.from(app.querySelectorAll<HTMLElement>('pre[data-key]')).map((el) => [el.dataset.key, el.scrollTop, atBottom(el)] as const);
  const pageY = window.scrollY;

  const parts: Node[] = [];
  const { config, run } = view;
  if (!config.trusted) {
    parts.push(h('div', { class: 'notice', role: 'status', 'data-testid': 'untrusted-notice' },
      icon('codicon-shield'), ' MapCoder-Lite does not run code in an untrusted workspace. Trust the workspace to solve and judge problems.'));
  }
  const header = renderHeader();
  if (header.childNodes.length) parts.push(header);
  if (run) {
    const current = run;
    // The stress step only in runs that had stress tests on (runs saved before it existed have no such step).
    const shown = STEPS.filter((s) => s !== 'stress' || current.stressTests || current.stress?.length);
    parts.push(h('div', { class: 'steps', 'data-testid': 'steps' }, ...shown.map((s) => renderStep(current, s))));
    if (current.status !== 'running') parts.push(renderFinal(current));
  } else {
    parts.push(h('div', { class: 'empty', 'data-testid': 'empty-state' },
      h('p', {}, 'No run yet. Open a problem statement (or a source file whose leading comment is the statement) and solve it.'),
      button('Solve Problem in Active Editor', { action: 'solve', testid: 'solve', icon: 'codicon-play', disabled: !config.trusted, primary: true })));
  }
  if (config.endpoint) parts.push(h('div', { class: 'endpoint', 'data-testid': 'endpoint' }, `Endpoint: ${config.endpoint}`));
  app.replaceChildren(...parts);

  for (const [key, top, bottom] of scrolls) {
    const el = key ? app.querySelector<HTMLElement>(`pre[data-key="${CSS.escape(key)}"]`) : null;
    if (el) el.scrollTop = bottom ? el.scrollHeight : top;
  }
  for (const pre of Array.from(app.querySelectorAll<HTMLElement>('pre.live'))) if (!scrolls.some(([k]) => k === pre.dataset.key)) pre.scrollTop = pre.scrollHeight;
  window.scrollTo(0, pageY);
  restoreFocus(focus);
  followRunningStep();
}

/** The step that started running last, once: brought into view (a narrow panel has later steps below the fold). */
let followedStep: string | undefined;
function followRunningStep(): void {
  const { run } = view;
  const running = run?.status === 'running' ? [...STEPS].reverse().find((s) => run?.steps[s]?.status === 'running') : undefined;
  const key = running && `${run!.meta.runId}:${running}`;
  if (!key || key === followedStep) return;
  followedStep = key;
  app.querySelector<HTMLElement>(`[data-step="${running}"] > summary`)?.scrollIntoView({ block: 'nearest' });
}

function focusedKey(): { key: string; start?: number; end?: number } | undefined {
  const el = document.activeElement as HTMLElement | null;
  const key = el?.dataset?.key;
  if (!key) return undefined;
  return el instanceof HTMLTextAreaElement ? { key, start: el.selectionStart, end: el.selectionEnd } : { key };
}

function restoreFocus(f: ReturnType<typeof focusedKey>): void {
  if (!f) return;
  const el = app.querySelector<HTMLElement>(`[data-key="${CSS.escape(f.key)}"]`);
  if (!el) return;
  el.focus({ preventScroll: true });
  if (el instanceof HTMLTextAreaElement && f.start !== undefined) el.setSelectionRange(f.start, f.end ?? f.start);
}
