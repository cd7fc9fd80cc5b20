import { finalSummary, keepAnyway, keepLabel, type RunState } from '../run-state';
import { button, h } from './dom';
import { PROPOSAL_LABEL, RUN_ICON } from './labels';

// The bar after a run: its outcome, and Accept (or Keep anyway) and Reject while its proposal shows.

export function renderFinal(r: RunState): HTMLElement {
  const res = r.result;
  const message = r.interrupted ? 'VS Code closed while this run was going.' : res?.message ?? '';
  // Sticky (always in reach at the bottom) only while there is a decision to make; else it sits after the steps.
  const bar = h('div', { class: `final status-${r.status}${r.proposal === 'showing' ? ' sticky' : ''}`, 'data-testid': 'final-bar', 'data-status': r.status, 'data-proposal': r.proposal },
    h('div', { class: 'final-summary', 'data-testid': 'final-summary' }, h('span', { class: `codicon ${RUN_ICON[r.status]}`, 'aria-hidden': 'true' }), ` ${finalSummary(r)}`),
    message ? h('div', { class: 'final-message', 'data-testid': 'final-message' }, message) : undefined);
  if (r.proposal === 'showing') {
    const offered = keepAnyway(r.status);
    bar.append(h('div', { class: 'final-actions' },
      button(offered ? keepLabel(r.status) : 'Accept', { action: 'accept', testid: 'accept', icon: 'codicon-check', primary: !offered }),
      button('Reject', { action: 'reject', testid: 'reject', icon: 'codicon-close' })));
  } else if (r.proposal !== 'none') {
    bar.append(h('div', { class: 'muted', 'data-testid': 'proposal-status', 'data-proposal': r.proposal }, PROPOSAL_LABEL[r.proposal]));
  }
  return bar;
}
