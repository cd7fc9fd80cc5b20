import { stepOf, type RunState } from '../../run-state';
import { codeBlock, firstLine, h, prose } from '../dom';
import { isOpen } from '../ui-state';
import { callList } from '../widgets';

// Retrieval: its call, the k exemplars (description, code, plan each) and the algorithm with its tutorial.

export function retrievalBody(r: RunState): Node[] {
  const out: Node[] = [callList(r, (c) => stepOf(c.step) === 'retrieval')];
  const rt = r.retrieval;
  if (!rt) return out;
  if (rt.exemplars.length) {
    out.push(h('h4', {}, `${rt.exemplars.length} exemplar${rt.exemplars.length === 1 ? '' : 's'}`));
    out.push(h('div', { class: 'exemplars', 'data-testid': 'exemplars' }, ...rt.exemplars.map((ex, i) => {
      const key = `${r.meta.runId}:exemplar:${i}`;
      return h('details', { class: 'exemplar', 'data-testid': 'exemplar', 'data-index': String(i), 'data-key': key, open: isOpen(key, false) },
        h('summary', { 'data-key': `${key}:summary` }, `${i + 1}. ${firstLine(ex.description) || 'Exemplar'}`),
        h('h5', {}, 'Description'), prose(ex.description),
        h('h5', {}, 'Code'), codeBlock(ex.code, r.meta.lang),
        h('h5', {}, 'Plan'), prose(ex.planning));
    })));
  } else {
    out.push(h('p', { class: 'muted' }, 'No exemplars: planning goes ahead without them.'));
  }
  out.push(h('h4', {}, 'Algorithm and tutorial'), prose(rt.algorithm || '(none given)', 'algorithm'));
  if (r.steps.retrieval.reused) out.push(h('p', { class: 'muted' }, 'Reused from the earlier run.'));
  return out;
}
