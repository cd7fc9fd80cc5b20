import type { RunState, StepName, StepState } from '../run-state';
import { button, fmt, h, seconds } from './dom';
import { STEP_ICON, STEP_LABEL } from './labels';
import { view } from './model';
import { codingBody } from './sections/coding';
import { debuggingBody } from './sections/debugging';
import { planningBody } from './sections/planning';
import { retrievalBody } from './sections/retrieval';
import { stressBody } from './sections/stress';
import { isOpen } from './ui-state';

// One step of a run as a collapsible section: its status, adapters, tokens and time in the summary,
// its own body (sections/), and the button that re-runs it.

const BODY: Record<StepName, (r: RunState) => Node[]> = {
  retrieval: retrievalBody, planning: planningBody, coding: codingBody, debugging: debuggingBody, stress: stressBody,
};

export function renderStep(r: RunState, name: StepName): HTMLElement {
  const st = r.steps[name] ?? { status: 'skipped', models: [], calls: 0, promptTokens: 0, completionTokens: 0, ms: 0, formatRecovered: 0, formatUnrecovered: 0 };
  const key = `step:${name}`;
  const body = h('div', { class: 'step-body' });
  body.append(...BODY[name](r));
  if (st.error && st.status === 'failed') body.append(h('p', { class: 'error', 'data-testid': `step-error-${name}` }, st.error));
  if (!body.childNodes.length) body.append(h('p', { class: 'muted' }, st.status === 'skipped' ? 'Not needed in this run.' : 'Waiting for the earlier steps.'));
  const rerun = rerunButton(r, name);
  if (rerun) body.append(h('div', { class: 'step-actions' }, rerun));
  return h('details', { class: 'step', 'data-step': name, 'data-status': st.status, 'data-testid': `step-${name}`, 'data-key': key, open: isOpen(key, true) },
    h('summary', { 'data-key': `${key}:summary` },
      h('span', { class: `codicon ${STEP_ICON[st.status]} step-icon`, 'data-testid': `step-status-${name}`, 'data-status': st.status, role: 'img', 'aria-label': st.status }),
      h('span', { class: 'step-title' }, STEP_LABEL[name]),
      h('span', { class: 'step-meta', 'data-testid': `step-meta-${name}` }, stepMeta(st))),
    body);
}

function rerunButton(r: RunState, name: StepName): HTMLElement | undefined {
  if (r.status === 'running' || r.meta.mode === 'direct' || name === 'debugging') return undefined;
  if (name === 'planning' && !r.retrieval) return undefined;
  if (name === 'coding' && !r.plans.length) return undefined;
  return button(`Re-run ${STEP_LABEL[name].toLowerCase()}${name === 'coding' ? ' and debugging' : ' and what follows'}`,
    { action: 'rerun-step', arg: name, testid: `rerun-${name}`, icon: 'codicon-debug-rerun', disabled: !view.config.trusted });
}

function stepMeta(st: StepState): string {
  if (st.status === 'waiting') return 'waiting';
  if (st.status === 'skipped' && !st.calls) return 'not needed';
  const parts = [
    st.models.join(', '),
    st.calls ? `${fmt(st.promptTokens)} → ${fmt(st.completionTokens)} tokens` : '',
    st.ms ? seconds(st.ms) : '',
    // Two kinds of reply, not one figure split: replies read despite a format slip, and replies that gave nothing usable.
    st.formatRecovered ? `${st.formatRecovered} repaired repl${st.formatRecovered === 1 ? 'y' : 'ies'}` : '',
    st.formatUnrecovered ? `${st.formatUnrecovered} unusable repl${st.formatUnrecovered === 1 ? 'y' : 'ies'}` : '',
    st.reused ? 'reused' : '',
  ].filter(Boolean);
  return parts.join(' · ') || st.status;
}
