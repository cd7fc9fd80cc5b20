import type { PipelineEvent, StepRef, StressCheck } from '../core/events';
import { printable } from '../core/printable';
import { STRESS_SKIPPED } from '../core/step-names';

/** Human progress on stderr: one line per finished agent call and per tested program. */
export function progressPrinter(err: NodeJS.WritableStream): (e: PipelineEvent) => void {
  const streamed = new Map<string, number>();
  // Errors already printed by the step that failed: the closing line points up instead of repeating them.
  const failures = new Set<string>();
  return (e) => {
    switch (e.type) {
      case 'run-started':
        err.write(`Solving "${e.problem.title}" in ${e.lang} (${e.mode}, k=${e.k}, t=${e.t})\n`);
        break;
      case 'agent-started':
        if (e.note) err.write(`  ${stepLabel(e.step)}: ${e.note}\n`);
        break;
      case 'token':
        streamed.set(e.callId, (streamed.get(e.callId) ?? 0) + e.delta.length);
        break;
      case 'agent-finished': {
        const fmt = e.formatIssues.length ? `, ${e.formatIssues.length} format issue${e.formatIssues.length > 1 ? 's' : ''} (${e.formatIssues.map((f) => f.kind).join(', ')})` : '';
        const retry = e.attempt > 1 ? ` [attempt ${e.attempt}]` : '';
        if (e.notice) err.write(`  note: ${e.notice}\n`);
        err.write(`  ${stepLabel(e.step)}${retry}: ${e.usage.completionTokens} tokens, ${(e.ms / 1000).toFixed(1)} s via ${e.model}${e.constrained ? ' (constrained)' : ''}${fmt}${e.ok ? '' : ' -> fallback'}\n`);
        break;
      }
      case 'agent-failed':
        failures.add(e.error);
        err.write(`  ${stepLabel(e.step)}: failed: ${e.error}\n`);
        break;
      case 'plans-ranked':
        err.write(`  plans by confidence: ${e.plans.map((p) => `#${p.index + 1} (${p.confidence})`).join(', ') || 'none'}\n`);
        break;
      case 'candidate': {
        const r = e.candidate.report;
        const firstBad = r.tests.find((t) => t.verdict !== 'AC');
        err.write(`  tests: ${r.passed}/${r.total} passed${r.verdict === 'AC' ? '' : `, ${r.verdict}${firstBad ? ` on test ${firstBad.index + 1}` : ''}`}\n`);
        break;
      }
      case 'stress-started':
        err.write(`  stress tests: checking plan #${e.plan + 1}'s program on up to ${e.tests} generated inputs\n`);
        break;
      case 'stress-done':
        err.write(`  stress tests: ${stressLine(e.check)}\n`);
        break;
      case 'done': {
        const { error, message } = e.result;
        err.write(`${error && failures.has(error) ? message.replace(error, 'see the failure above.').replace('..', '.') : message}\n`);
        break;
      }
    }
  };
}

function stressLine(c: StressCheck): string {
  switch (c.status) {
    case 'passed': return `agreed with the brute force on ${c.tests} inputs`;
    case 'difference': {
      const x = c.counterexample!;
      return `${x.verdict} against the brute force on input ${printable(JSON.stringify(x.input.slice(0, 200)))} (expected ${printable(JSON.stringify(x.expected.slice(0, 100)))})`;
    }
    default: return `skipped: ${STRESS_SKIPPED[c.status]}`;
  }
}

export function stepLabel(s: StepRef): string {
  switch (s.kind) {
    case 'retrieval': return 'retrieval';
    case 'plan': return `planning #${(s.plan ?? 0) + 1}`;
    case 'confidence': return `confidence #${(s.plan ?? 0) + 1}`;
    case 'code': return `coding plan #${(s.plan ?? 0) + 1}`;
    case 'debug': return `debugging plan #${(s.plan ?? 0) + 1}, round ${s.round}`;
    case 'direct': return 'coding (direct)';
    case 'brute': return `stress tests plan #${(s.plan ?? 0) + 1}: brute force`;
    case 'generator': return `stress tests plan #${(s.plan ?? 0) + 1}: input generator`;
    case 'stress': return `plan #${(s.plan ?? 0) + 1}, round ${s.round ?? 0} on the tests stress found`;
    case 'checker': return 'a checker (any valid answer is accepted)';
  }
}
