import { stepOf, type RunState } from '../../run-state';
import { button, h, prose } from '../dom';
import { view } from '../model';
import { ui } from '../ui-state';
import { callList } from '../widgets';

// Planning: the plans in the order they are tried, each with its confidence and an editor to change it
// and re-run coding from it; then each exemplar's plan and confidence calls.

export function planningBody(r: RunState): Node[] {
  const out: Node[] = [];
  if (r.plans.length) {
    const tried = new Set(r.candidates.map((c) => c.plan));
    const chosen = r.result?.chosen?.plan;
    const editable = r.status !== 'running';
    out.push(h('ol', { class: 'plans', 'data-testid': 'plan-list' }, ...r.plans.map((p, order) => {
      const draftKey = `${r.meta.runId}:${p.index}`;
      const draft = ui.drafts[draftKey];
      const li = h('li', { class: 'plan', 'data-testid': 'plan', 'data-plan-index': String(p.index), 'data-order': String(order) },
        h('div', { class: 'plan-head' },
          h('strong', {}, `Plan ${p.index + 1}`),
          h('span', { class: 'badge', 'data-testid': 'plan-confidence', title: 'Confidence' }, `${p.confidence}%`),
          chosen === p.index ? h('span', { class: 'badge pass', 'data-testid': 'plan-chosen' }, 'chosen') : undefined,
          chosen !== p.index && tried.has(p.index) ? h('span', { class: 'badge subtle' }, 'tried') : undefined),
        p.explanation ? h('p', { class: 'explanation' }, p.explanation) : undefined);
      if (draft !== undefined && editable) {
        li.append(
          h('textarea', { class: 'plan-editor', 'data-testid': 'plan-editor', 'data-key': `edit:${draftKey}`, 'data-draft': draftKey, rows: '10', 'aria-label': `Edit plan ${p.index + 1}` }, draft),
          h('div', { class: 'plan-actions' },
            button('Re-run coding from this plan', { action: 'plan-rerun', arg: String(p.index), testid: 'plan-rerun', icon: 'codicon-debug-rerun', disabled: !view.config.trusted, primary: true }),
            button('Discard edit', { action: 'plan-discard', arg: String(p.index), testid: 'plan-discard' })));
      } else {
        li.append(prose(p.plan, 'plan-text'));
        if (editable) li.append(h('div', { class: 'plan-actions' }, button('Edit', { action: 'plan-edit', arg: String(p.index), testid: 'plan-edit', icon: 'codicon-edit' })));
      }
      return li;
    })));
    if (r.steps.planning.reused) out.push(h('p', { class: 'muted' }, 'Plans reused from the earlier run.'));
  }
  const chains = [...new Set(r.calls.filter((c) => stepOf(c.step) === 'planning').map((c) => c.step.plan ?? 0))];
  for (const plan of chains) {
    out.push(h('h4', {}, `Chain from exemplar ${plan + 1}`), callList(r, (c) => stepOf(c.step) === 'planning' && (c.step.plan ?? 0) === plan));
  }
  return out;
}
