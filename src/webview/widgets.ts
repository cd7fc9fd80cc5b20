import type { Candidate } from '../core/events';
import { differenceText, firstDifference } from '../core/judge/difference';
import type { Lang, TestResult } from '../core/types';
import { callText, type CallRecord, type RunState } from '../run-state';
import { codeBlock, fmt, h, seconds } from './dom';
import { CALL_ICON, KIND_LABEL } from './labels';
import { isOpen } from './ui-state';

// What several steps show: an agent call with its streamed reply, a tested program, failed tests.

/** Failed tests, a card each (see .tests in the CSS); `label` names one whose number would mean nothing (a generated input). */
export function failingTable(tests: TestResult[], testid = 'failing-samples', expected = 'Expected', label?: string): HTMLElement {
  const field = (title: string, ...content: (HTMLElement | undefined)[]) => h('div', { class: title === 'Actual' ? 'actual' : '' }, h('h6', {}, title), ...content);
  return h('div', { class: 'tests', 'data-testid': testid }, ...tests.map((t) => h('div', { class: 'test', 'data-testid': 'failing-sample', 'data-verdict': t.verdict },
    h('div', { class: 'test-head' }, h('span', {}, label ?? `Test ${t.index + 1}`), h('span', { class: `verdict v-${t.verdict}` }, t.verdict)),
    // The checker's (or interactor's) word on it, or why nothing could judge it.
    t.message ? h('div', { class: 'checker-message', 'data-testid': 'checker-message' }, t.message) : undefined,
    h('div', { class: 'io' },
      field('Input', h('pre', {}, t.input)),
      field(expected, h('pre', {}, t.expected.join('\n— or —\n'))),
      field('Actual', h('pre', {}, t.actual || (t.verdict === 'TLE' ? '(stopped)' : '(nothing)')), t.stderr ? h('pre', { class: 'stderr' }, t.stderr) : undefined)),
    differenceLine(t))));
}

/** Where a wrong answer first departs from the expected output (the first expected one, as the terminal says). */
function differenceLine(t: TestResult): HTMLElement | undefined {
  const d = t.verdict === 'WA' && t.expected.length ? firstDifference(t.actual, t.expected[0]) : undefined;
  return d && h('div', { class: 'difference', 'data-testid': 'first-difference' }, `First difference: ${differenceText(d)}`);
}

export function candidateView(c: Candidate, lang: Lang, codeTestId: string): HTMLElement {
  const rep = c.report;
  return h('div', { class: 'candidate', 'data-testid': 'candidate', 'data-verdict': rep.verdict },
    h('div', { class: 'report' },
      verdictBadge(c),
      h('span', {}, rep.total ? ` ${rep.passed}/${rep.total} samples passed` : ' no sample tests'),
      h('span', { class: 'chips' }, ...rep.tests.map((t) => h('span', {
        class: `verdict v-${t.verdict}`, 'data-testid': 'sample-verdict', 'data-verdict': t.verdict, title: `Sample ${t.index + 1}: ${t.verdict}, ${t.timeMs} ms`,
      }, `${t.index + 1}:${t.verdict}`)))),
    rep.verdict === 'CE' && rep.compile ? h('pre', { class: 'stderr' }, rep.compile.message) : undefined,
    codeBlock(c.code, lang, codeTestId));
}

export function verdictBadge(c: Candidate): HTMLElement {
  return h('span', { class: `badge verdict v-${c.report.verdict}`, 'data-testid': 'verdict', 'data-verdict': c.report.verdict }, c.report.verdict);
}

export function callList(r: RunState, pred: (c: CallRecord) => boolean): HTMLElement {
  const calls = r.calls.filter(pred);
  return h('div', { class: 'calls' }, ...calls.map((c) => callView(r, c)));
}

function callView(r: RunState, c: CallRecord): HTMLElement {
  const key = `${r.meta.runId}:call:${c.callId}`;
  const facts = [
    KIND_LABEL[c.step.kind] + (c.step.round ? ` round ${c.step.round}` : ''),
    c.attempt > 1 ? `attempt ${c.attempt}` : '',
    c.model,
    c.usage ? `${fmt(c.usage.promptTokens)} → ${fmt(c.usage.completionTokens)} tokens` : '',
    c.ms !== undefined ? seconds(c.ms) : '',
    c.ok === false ? 'unusable reply' : '',
  ].filter(Boolean);
  const head = h('div', { class: 'call-head' },
    h('span', { class: `codicon ${CALL_ICON[c.status]}`, 'aria-hidden': 'true' }), ` ${facts.join(' · ')}`,
    c.status === 'judging' ? h('span', { class: 'muted' }, ' · running the sample tests…') : undefined);
  const text = h('pre', { class: c.status === 'running' ? 'live' : 'reply', 'data-call-id': c.callId, 'data-key': `${key}:text`, 'data-testid': c.status === 'running' ? 'live-text' : 'reply-text' }, callText(c));
  const error = c.error ? h('p', { class: 'error' }, c.error) : undefined;
  const note = c.note ? h('p', { class: 'muted', 'data-testid': 'call-note' }, c.note) : undefined;
  if (c.status === 'running') return h('div', { class: 'call', 'data-status': c.status }, head, note, text);
  return h('details', { class: 'call', 'data-status': c.status, 'data-key': key, open: isOpen(key, false) },
    h('summary', { 'data-key': `${key}:summary` }, head), note, error, text);
}
