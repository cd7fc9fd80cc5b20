import { STRESS_SKIPPED } from '../../core/step-names';
import { stepOf, type RunState, type StressRecord } from '../../run-state';
import { button, codeBlock, h } from '../dom';
import { STRESS_LABEL } from '../labels';
import { isOpen } from '../ui-state';
import { callList, failingTable } from '../widgets';

// Stress tests: the brute force and generator calls, then each check with its outcome, the input where
// program and brute force disagree (kept as a test on request), and the two programs.

function stressText(s: StressRecord): string {
  switch (s.status) {
    case 'running': return `Running it and a brute force on up to ${s.tests} generated inputs…`;
    case 'passed': return `It gave the brute force's output on all ${s.tests} generated inputs.`;
    case 'difference': return `On one of ${s.tests} generated inputs it disagrees with the brute force; that input is a test from now on.`;
    default: {
      const why = STRESS_SKIPPED[s.status];
      return `${why[0].toUpperCase()}${why.slice(1)}: samples only.`;
    }
  }
}

export function stressBody(r: RunState): Node[] {
  const out: Node[] = [callList(r, (c) => stepOf(c.step) === 'stress' && c.step.kind !== 'stress')];
  for (const [i, s] of (r.stress ?? []).entries()) {
    const key = `${r.meta.runId}:stress:${i}`;
    const x = s.counterexample;
    out.push(h('div', { class: 'stress-check', 'data-testid': 'stress-check', 'data-status': s.status },
      h('h4', {}, `Plan ${s.plan + 1} · ${s.round ? `round ${s.round}` : 'first program'} `,
        h('span', { class: `badge ${s.status === 'passed' ? 'pass' : s.status === 'difference' ? 'fail' : 'subtle'}`, 'data-testid': 'stress-status' }, STRESS_LABEL[s.status])),
      h('p', { class: 'muted' }, stressText(s)),
      x ? failingTable([{ index: 0, verdict: x.verdict, input: x.input, expected: [x.expected], actual: x.actual, stderr: '', timeMs: 0 }], 'counterexample', 'Brute force', 'Generated input') : undefined,
      x && r.meta.file ? h('div', { class: 'step-actions' }, button('Keep as a test', { action: 'keep-test', arg: String(i), testid: 'keep-test', icon: 'codicon-add', title: 'Add this input and the brute force\'s output to the problem\'s tests file' })) : undefined,
      s.brute ? h('details', { 'data-key': `${key}:brute`, open: isOpen(`${key}:brute`, false) }, h('summary', { 'data-key': `${key}:brute:summary` }, 'Brute force'), codeBlock(s.brute, r.meta.lang, 'stress-brute')) : undefined,
      s.generator ? h('details', { 'data-key': `${key}:gen`, open: isOpen(`${key}:gen`, false) }, h('summary', { 'data-key': `${key}:gen:summary` }, 'Input generator'), codeBlock(s.generator, r.meta.lang, 'stress-generator')) : undefined));
  }
  return out;
}
