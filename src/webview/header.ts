import { RUN_LABEL, type RunSummary } from '../run-state';
import { basename, button, h, icon } from './dom';
import { RUN_ICON } from './labels';
import { view } from './model';

// The panel's top: the run in view (title, status, file, language, Judge, Cancel or New run) and the
// history of earlier runs.

export function renderHeader(): HTMLElement {
  const header = h('header', { class: 'run-header', 'data-testid': 'run-header' });
  const { run, runs } = view;
  if (run) {
    const r = run;
    header.append(
      h('div', { class: 'title-row' },
        h('span', { class: `codicon ${RUN_ICON[r.status]} run-icon status-${r.status}`, 'data-testid': 'run-status-icon', 'aria-hidden': 'true' }),
        h('span', { class: 'run-title', 'data-testid': 'run-title', title: r.meta.title }, r.meta.title),
        h('span', { class: `status-label status-${r.status}`, 'data-testid': 'run-status', 'data-status': r.status },
          r.interrupted ? 'Interrupted' : RUN_LABEL[r.status])),
      h('div', { class: 'run-actions' },
        r.meta.file ? button(basename(r.meta.file), { action: 'open-file', testid: 'run-file', icon: 'codicon-file-code', title: r.meta.file, link: true }) : undefined,
        h('span', { class: 'lang' }, `${r.meta.lang}${r.meta.mode === 'direct' ? ' · direct' : ''}`),
        button('Judge', { action: 'show-judge', testid: 'show-judge', icon: 'codicon-terminal', title: 'Show the judge terminal: every program of the run, compiled and tested', link: true }),
        r.status === 'running'
          ? button('Cancel', { action: 'cancel', testid: 'cancel', icon: 'codicon-stop-circle' })
          : button('New run', { action: 'solve', testid: 'solve-again', icon: 'codicon-play', disabled: !view.config.trusted, title: 'Solve Problem in Active Editor' })),
    );
    // The model's programs ran outside the sandbox: said where the run is, not only in the log.
    if (r.isolation) header.append(h('div', { class: 'notice isolation-note', role: 'note', 'data-testid': 'isolation-note' }, icon('codicon-warning'), h('span', {}, r.isolation)));
  }
  if (runs.length > (run ? 1 : 0)) {
    const select = h('select', { 'data-testid': 'history', 'data-key': 'history', 'aria-label': 'Earlier runs' },
      ...(run ? [] : [h('option', { value: '', selected: true }, 'Reopen an earlier run…')]),
      ...runs.map((s) => h('option', { value: s.runId, selected: s.runId === run?.meta.runId }, historyLabel(s))));
    header.append(h('label', { class: 'history' }, icon('codicon-history'), select));
  }
  return header;
}

function historyLabel(s: RunSummary): string {
  const when = new Date(s.startedAt).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const score = s.total ? ` ${s.passed ?? 0}/${s.total}` : '';
  return `${s.title} · ${s.interrupted ? 'Interrupted' : RUN_LABEL[s.status]}${score} · ${when}`;
}
