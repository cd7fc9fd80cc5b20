import { app } from './dom';
import { post } from './host';
import { view } from './model';
import { render } from './render';
import { saveUi, ui } from './ui-state';

// What the user does on the page: actions go to the extension as messages; editing a plan and
// opening or closing a section stay in the page's own state.

/** Buttons, the plan editor, the history picker and open/closed sections, on the page's root. */
export function listenToPage(): void {
  app.addEventListener('click', (event) => {
    const el = (event.target as HTMLElement).closest<HTMLElement>('[data-action]');
    if (!el || (el as HTMLButtonElement).disabled) return;
    const action = el.dataset.action;
    const arg = el.dataset.arg ?? '';
    const run = view.run;
    const runId = run?.meta.runId;
    if (action === 'solve') return post({ type: 'solve' });
    if (action === 'show-judge') return post({ type: 'showJudge' });
    if (!runId || !run) return;
    switch (action) {
      case 'cancel':
        return post({ type: 'cancel', runId });
      case 'accept':
        return post({ type: 'accept', runId });
      case 'reject':
        return post({ type: 'reject', runId });
      case 'open-file':
        if (run.meta.file) post({ type: 'openFile', file: run.meta.file });
        return;
      case 'keep-test':
        return post({ type: 'keepTest', runId, check: Number(arg) });
      case 'rerun-step':
        if (arg === 'retrieval' || arg === 'planning' || arg === 'coding') post({ type: 'rerunStep', runId, step: arg });
        return;
      case 'plan-edit': {
        const plan = run.plans.find((p) => p.index === Number(arg));
        if (!plan) return;
        ui.drafts[`${runId}:${arg}`] = plan.plan;
        saveUi();
        render();
        app.querySelector<HTMLTextAreaElement>(`textarea[data-draft="${CSS.escape(`${runId}:${arg}`)}"]`)?.focus();
        return;
      }
      case 'plan-discard':
        delete ui.drafts[`${runId}:${arg}`];
        saveUi();
        render();
        return;
      case 'plan-rerun': {
        const text = ui.drafts[`${runId}:${arg}`];
        if (text?.trim()) post({ type: 'rerunFromPlan', runId, planIndex: Number(arg), plan: text });
        return;
      }
    }
  });

  app.addEventListener('input', (event) => {
    const el = event.target as HTMLElement;
    if (el instanceof HTMLTextAreaElement && el.dataset.draft) {
      ui.drafts[el.dataset.draft] = el.value;
      saveUi();
    }
  });

  app.addEventListener('change', (event) => {
    const el = event.target as HTMLElement;
    if (el instanceof HTMLSelectElement && el.dataset.testid === 'history' && el.value) post({ type: 'openRun', runId: el.value });
  });

  // 'toggle' does not bubble: listen in the capture phase.
  app.addEventListener('toggle', (event) => {
    const el = event.target as HTMLElement;
    if (el instanceof HTMLDetailsElement && el.dataset.key && ui.open[el.dataset.key] !== el.open) {
      ui.open[el.dataset.key] = el.open;
      saveUi();
    }
  }, true);
}
