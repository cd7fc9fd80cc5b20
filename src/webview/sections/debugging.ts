import { debugRounds, type RunState } from '../../run-state';
import { h, prose } from '../dom';
import { callList, candidateView, failingTable, verdictBadge } from '../widgets';

// Debugging: each round with the tests its program failed (or its compiler message), the call, the
// corrected plan and the new program.

export function debuggingBody(r: RunState): Node[] {
  return debugRounds(r).map((d) => {
    const before = d.before;
    return h('div', { class: 'round', 'data-testid': 'debug-round', 'data-plan-index': String(d.plan), 'data-round': String(d.round) },
      h('h4', {}, `Plan ${d.plan + 1} · round ${d.round}`, d.after ? verdictBadge(d.after) : undefined,
        d.after && before && d.after.code.trim() === before.code.trim() ? h('span', { class: 'badge subtle', 'data-testid': 'no-change', title: 'The debugging agent returned the program it was given' }, 'no change') : undefined),
      before?.report.verdict === 'CE'
        ? h('div', {}, h('h5', {}, 'The program did not compile'), h('pre', { class: 'stderr' }, before.report.compile?.message ?? ''))
        : d.failing.length ? failingTable(d.failing) : undefined,
      d.call ? callList(r, (c) => c === d.call) : undefined,
      d.call?.plan ? h('div', {}, h('h5', {}, 'Corrected plan'), prose(d.call.plan)) : undefined,
      d.after ? h('div', {}, h('h5', {}, 'New program'), candidateView(d.after, r.meta.lang, 'round-code')) : undefined);
  });
}
