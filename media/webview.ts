import type { FromWebview, PanelConfig, RunState, RunSummary, TextAppend, ToWebview } from '../src/protocol';
import { callText, debugRounds, finalSummary, keepAnyway, RUN_LABEL, STEPS, stepOf, type CallRecord, type StepName, type StepState, type StepStatus, type StressRecord } from '../src/protocol/run-state';
import type { Candidate } from '../src/core/events';
import type { TestResult } from '../src/core/types';
import { tokenize } from './highlight';
import { STRESS_SKIPPED } from '../src/core/step-names';

// The side panel's script. The extension owns all state and replays it on 'ready'; this file renders it.
// Model text only ever reaches the DOM through text nodes (h() below), never as markup.

interface UiState {
  /** Expanded/collapsed sections by key; keys not starting with 'step:' belong to one run. */
  open: Record<string, boolean>;
  /** Plans being edited, by `${runId}:${planIndex}`. */
  drafts: Record<string, string>;
}

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): UiState | undefined;
  setState(s: UiState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const ui: UiState = { open: {}, drafts: {}, ...vscode.getState() };
const app = document.getElementById('app') as HTMLElement;

let config: PanelConfig = { trusted: true, endpoint: '' };
let runs: RunSummary[] = [];
let run: RunState | undefined;
let queued: TextAppend[] = [];
let frame: number | undefined;

const STEP_LABEL: Record<StepName, string> = { retrieval: 'Retrieval', planning: 'Planning', coding: 'Coding', debugging: 'Debugging', stress: 'Stress tests' };
const STEP_ICON: Record<StepStatus, string> = {
  waiting: 'codicon-circle-outline',
  running: 'codicon-loading codicon-modifier-spin',
  done: 'codicon-check',
  failed: 'codicon-error',
  skipped: 'codicon-circle-slash',
};
const RUN_ICON: Record<RunState['status'], string> = {
  running: 'codicon-loading codicon-modifier-spin',
  passed: 'codicon-pass-filled',
  untested: 'codicon-question',
  partial: 'codicon-warning',
  failed: 'codicon-error',
  error: 'codicon-error',
  cancelled: 'codicon-stop-circle',
};
// ---------- messages ----------

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'config':
      config = m.config;
      render();
      return;
    case 'state':
      runs = m.runs;
      showRun(m.current);
      return;
    case 'history':
      runs = m.runs;
      render();
      return;
    case 'run':
      showRun(m.run);
      return;
    case 'patch':
      if (run && m.runId === run.meta.runId) appendText(m.appends);
      return;
  }
});

function post(m: FromWebview): void {
  vscode.postMessage(m);
}

function showRun(next: RunState | undefined): void {
  // A snapshot contains every token sent before it: text still waiting for a frame is already in it.
  queued = [];
  if (next?.meta.runId !== run?.meta.runId) pruneUiState(next?.meta.runId);
  run = next;
  render();
}

// ---------- streaming text ----------

function appendText(appends: TextAppend[]): void {
  for (const a of appends) {
    const call = run?.calls.find((c) => c.callId === a.callId);
    call?.chunks.push(a.text);
    queued.push(a);
  }
  frame ??= requestAnimationFrame(flushText);
}

/** At most once per frame: one text node per call, appended; nothing else is re-rendered. */
function flushText(): void {
  frame = undefined;
  const byCall = new Map<string, string>();
  for (const a of queued) byCall.set(a.callId, (byCall.get(a.callId) ?? '') + a.text);
  queued = [];
  for (const [callId, text] of byCall) {
    for (const pre of Array.from(app.querySelectorAll<HTMLElement>(`pre[data-call-id="${CSS.escape(callId)}"]`))) {
      const stick = atBottom(pre);
      pre.append(document.createTextNode(text));
      if (stick) pre.scrollTop = pre.scrollHeight;
    }
  }
}

function atBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 24;
}

// ---------- rendering ----------

function render(): void {
  const focus = focusedKey();
  const scrolls = Array.from(app.querySelectorAll<HTMLElement>('pre[data-key]')).map((el) => [el.dataset.key, el.scrollTop, atBottom(el)] as const);
  const pageY = window.scrollY;

  const parts: Node[] = [];
  if (!config.trusted) {
    parts.push(h('div', { class: 'notice', role: 'status', 'data-testid': 'untrusted-notice' },
      icon('codicon-shield'), ' MapCoder-Lite does not run code in an untrusted workspace. Trust the workspace to solve and judge problems.'));
  }
  const header = renderHeader();
  if (header.childNodes.length) parts.push(header);
  if (run) {
    const current = run;
    // The stress step only in runs that had stress tests on (runs saved before it existed have no such step).
    const shown = STEPS.filter((s) => s !== 'stress' || current.stressTests || current.stress?.length);
    parts.push(h('div', { class: 'steps', 'data-testid': 'steps' }, ...shown.map((s) => renderStep(current, s))));
    if (current.status !== 'running') parts.push(renderFinal(current));
  } else {
    parts.push(h('div', { class: 'empty', 'data-testid': 'empty-state' },
      h('p', {}, 'No run yet. Open a problem statement (or a source file whose leading comment is the statement) and solve it.'),
      button('Solve Problem in Active Editor', { action: 'solve', testid: 'solve', icon: 'codicon-play', disabled: !config.trusted, primary: true })));
  }
  if (config.endpoint) parts.push(h('div', { class: 'endpoint', 'data-testid': 'endpoint' }, `Endpoint: ${config.endpoint}`));
  app.replaceChildren(...parts);

  for (const [key, top, bottom] of scrolls) {
    const el = key ? app.querySelector<HTMLElement>(`pre[data-key="${CSS.escape(key)}"]`) : null;
    if (el) el.scrollTop = bottom ? el.scrollHeight : top;
  }
  for (const pre of Array.from(app.querySelectorAll<HTMLElement>('pre.live'))) if (!scrolls.some(([k]) => k === pre.dataset.key)) pre.scrollTop = pre.scrollHeight;
  window.scrollTo(0, pageY);
  restoreFocus(focus);
  followRunningStep();
}

/** The step that started running last, once: brought into view (a narrow panel has later steps below the fold). */
let followedStep: string | undefined;
function followRunningStep(): void {
  const running = run?.status === 'running' ? [...STEPS].reverse().find((s) => run?.steps[s]?.status === 'running') : undefined;
  const key = running && `${run!.meta.runId}:${running}`;
  if (!key || key === followedStep) return;
  followedStep = key;
  app.querySelector<HTMLElement>(`[data-step="${running}"] > summary`)?.scrollIntoView({ block: 'nearest' });
}

function renderHeader(): HTMLElement {
  const header = h('header', { class: 'run-header', 'data-testid': 'run-header' });
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
          : button('New run', { action: 'solve', testid: 'solve-again', icon: 'codicon-play', disabled: !config.trusted, title: 'Solve Problem in Active Editor' })),
    );
  }
  if (runs.length > (run ? 1 : 0)) {
    const select = h('select', { 'data-testid': 'history', 'data-key': 'history', 'aria-label': 'Earlier runs' },
      ...(run ? [] : [h('option', { value: '', selected: true }, 'Reopen an earlier run…')]),
      ...runs.map((s) => h('option', { value: s.runId, selected: s.runId === run?.meta.runId }, historyLabel(s))));
    header.append(h('label', { class: 'history' }, icon('codicon-history'), select));
  }
  return header;
}

function renderStep(r: RunState, name: StepName): HTMLElement {
  const st = r.steps[name] ?? { status: 'skipped', models: [], calls: 0, promptTokens: 0, completionTokens: 0, ms: 0, formatRecovered: 0, formatUnrecovered: 0 };
  const key = `step:${name}`;
  const body = h('div', { class: 'step-body' });
  if (name === 'retrieval') body.append(...retrievalBody(r));
  if (name === 'planning') body.append(...planningBody(r));
  if (name === 'coding') body.append(...codingBody(r));
  if (name === 'debugging') body.append(...debuggingBody(r));
  if (name === 'stress') body.append(...stressBody(r));
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

function retrievalBody(r: RunState): Node[] {
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
        h('h5', {}, 'Code'), codeBlock(ex.code),
        h('h5', {}, 'Plan'), prose(ex.planning));
    })));
  } else {
    out.push(h('p', { class: 'muted' }, 'No exemplars: planning goes ahead without them.'));
  }
  out.push(h('h4', {}, 'Algorithm and tutorial'), prose(rt.algorithm || '(none given)', 'algorithm'));
  if (r.steps.retrieval.reused) out.push(h('p', { class: 'muted' }, 'Reused from the earlier run.'));
  return out;
}

function planningBody(r: RunState): Node[] {
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
            button('Re-run coding from this plan', { action: 'plan-rerun', arg: String(p.index), testid: 'plan-rerun', icon: 'codicon-debug-rerun', disabled: !config.trusted, primary: true }),
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

function codingBody(r: RunState): Node[] {
  const plansInOrder = [...r.plans.map((p) => p.index), ...r.calls.filter((c) => stepOf(c.step) === 'coding').map((c) => c.step.plan ?? -1)];
  return [...new Set(plansInOrder)]
    .filter((plan) => r.calls.some((c) => stepOf(c.step) === 'coding' && c.step.plan === plan) || r.candidates.some((c) => c.plan === plan && c.round === 0))
    .map((plan) => {
      const cand = r.candidates.find((c) => c.plan === plan && c.round === 0);
      return h('div', { class: 'program', 'data-testid': 'program', 'data-plan-index': String(plan) },
        h('h4', {}, plan < 0 ? 'Direct' : `Plan ${plan + 1}`),
        callList(r, (c) => stepOf(c.step) === 'coding' && c.step.plan === plan),
        cand ? candidateView(cand, 'program-code') : undefined);
    });
}

function debuggingBody(r: RunState): Node[] {
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
      d.after ? h('div', {}, h('h5', {}, 'New program'), candidateView(d.after, 'round-code')) : undefined);
  });
}

/** Failed tests, a card each (see .tests in the CSS); `label` names one whose number would mean nothing (a generated input). */
function failingTable(tests: TestResult[], testid = 'failing-samples', expected = 'Expected', label?: string): HTMLElement {
  const field = (title: string, ...content: (HTMLElement | undefined)[]) => h('div', { class: title === 'Actual' ? 'actual' : '' }, h('h6', {}, title), ...content);
  return h('div', { class: 'tests', 'data-testid': testid }, ...tests.map((t) => h('div', { class: 'test', 'data-testid': 'failing-sample', 'data-verdict': t.verdict },
    h('div', { class: 'test-head' }, h('span', {}, label ?? `Test ${t.index + 1}`), h('span', { class: `verdict v-${t.verdict}` }, t.verdict)),
    h('div', { class: 'io' },
      field('Input', h('pre', {}, t.input)),
      field(expected, h('pre', {}, t.expected.join('\n— or —\n'))),
      field('Actual', h('pre', {}, t.actual || (t.verdict === 'TLE' ? '(stopped)' : '(nothing)')), t.stderr ? h('pre', { class: 'stderr' }, t.stderr) : undefined)))));
}

const STRESS_LABEL: Record<StressRecord['status'], string> = {
  running: 'running', passed: 'agrees', difference: 'differs', untrusted: 'no trusted brute force', 'no-inputs': 'no inputs', unsupported: 'not for this problem',
};

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

function stressBody(r: RunState): Node[] {
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
      s.brute ? h('details', { 'data-key': `${key}:brute`, open: isOpen(`${key}:brute`, false) }, h('summary', { 'data-key': `${key}:brute:summary` }, 'Brute force'), codeBlock(s.brute, 'stress-brute')) : undefined,
      s.generator ? h('details', { 'data-key': `${key}:gen`, open: isOpen(`${key}:gen`, false) }, h('summary', { 'data-key': `${key}:gen:summary` }, 'Input generator'), codeBlock(s.generator, 'stress-generator')) : undefined));
  }
  return out;
}

function candidateView(c: Candidate, codeTestId: string): HTMLElement {
  const rep = c.report;
  return h('div', { class: 'candidate', 'data-testid': 'candidate', 'data-verdict': rep.verdict },
    h('div', { class: 'report' },
      verdictBadge(c),
      h('span', {}, rep.total ? ` ${rep.passed}/${rep.total} samples passed` : ' no sample tests'),
      h('span', { class: 'chips' }, ...rep.tests.map((t) => h('span', {
        class: `verdict v-${t.verdict}`, 'data-testid': 'sample-verdict', 'data-verdict': t.verdict, title: `Sample ${t.index + 1}: ${t.verdict}, ${t.timeMs} ms`,
      }, `${t.index + 1}:${t.verdict}`)))),
    rep.verdict === 'CE' && rep.compile ? h('pre', { class: 'stderr' }, rep.compile.message) : undefined,
    codeBlock(c.code, codeTestId));
}

function verdictBadge(c: Candidate): HTMLElement {
  return h('span', { class: `badge verdict v-${c.report.verdict}`, 'data-testid': 'verdict', 'data-verdict': c.report.verdict }, c.report.verdict);
}

function callList(r: RunState, pred: (c: CallRecord) => boolean): HTMLElement {
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

const KIND_LABEL: Record<CallRecord['step']['kind'], string> = {
  retrieval: 'retrieval', plan: 'plan', confidence: 'confidence', code: 'coding', direct: 'direct coding', debug: 'debugging',
  brute: 'brute force', generator: 'input generator', stress: 'stress re-test',
};
const CALL_ICON: Record<CallRecord['status'], string> = {
  running: 'codicon-loading codicon-modifier-spin', judging: 'codicon-beaker', done: 'codicon-check', failed: 'codicon-error',
};

function renderFinal(r: RunState): HTMLElement {
  const res = r.result;
  const message = r.interrupted ? 'VS Code closed while this run was going.' : res?.message ?? '';
  // Sticky (always in reach at the bottom) only while there is a decision to make; else it sits after the steps.
  const bar = h('div', { class: `final status-${r.status}${r.proposal === 'showing' ? ' sticky' : ''}`, 'data-testid': 'final-bar', 'data-status': r.status, 'data-proposal': r.proposal },
    h('div', { class: 'final-summary', 'data-testid': 'final-summary' }, h('span', { class: `codicon ${RUN_ICON[r.status]}`, 'aria-hidden': 'true' }), ` ${finalSummary(r)}`),
    message ? h('div', { class: 'final-message', 'data-testid': 'final-message' }, message) : undefined);
  if (r.proposal === 'showing') {
    const offered = keepAnyway(r.status);
    bar.append(h('div', { class: 'final-actions' },
      button(offered ? 'Keep anyway' : 'Accept', { action: 'accept', testid: 'accept', icon: 'codicon-check', primary: !offered }),
      button('Reject', { action: 'reject', testid: 'reject', icon: 'codicon-close' })));
  } else if (r.proposal !== 'none') {
    bar.append(h('div', { class: 'muted', 'data-testid': 'proposal-status', 'data-proposal': r.proposal }, PROPOSAL_LABEL[r.proposal]));
  }
  return bar;
}

const PROPOSAL_LABEL: Record<Exclude<RunState['proposal'], 'none' | 'showing'>, string> = {
  accepted: 'Accepted into the editor.', rejected: 'Rejected; the file was left as it was.', stale: 'The proposal is no longer shown.',
};

function rerunButton(r: RunState, name: StepName): HTMLElement | undefined {
  if (r.status === 'running' || r.meta.mode === 'direct' || name === 'debugging') return undefined;
  if (name === 'planning' && !r.retrieval) return undefined;
  if (name === 'coding' && !r.plans.length) return undefined;
  return button(`Re-run ${STEP_LABEL[name].toLowerCase()}${name === 'coding' ? ' and debugging' : ' and what follows'}`,
    { action: 'rerun-step', arg: name, testid: `rerun-${name}`, icon: 'codicon-debug-rerun', disabled: !config.trusted });
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

function historyLabel(s: RunSummary): string {
  const when = new Date(s.startedAt).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const score = s.total ? ` ${s.passed ?? 0}/${s.total}` : '';
  return `${s.title} · ${s.interrupted ? 'Interrupted' : RUN_LABEL[s.status]}${score} · ${when}`;
}

// ---------- events ----------

app.addEventListener('click', (event) => {
  const el = (event.target as HTMLElement).closest<HTMLElement>('[data-action]');
  if (!el || (el as HTMLButtonElement).disabled) return;
  const action = el.dataset.action;
  const arg = el.dataset.arg ?? '';
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

// ---------- ui state ----------

function isOpen(key: string, fallback: boolean): boolean {
  return ui.open[key] ?? fallback;
}

function saveUi(): void {
  vscode.setState(ui);
}

/** Only the shown run's section states are kept, so the saved state stays small. */
function pruneUiState(runId: string | undefined): void {
  const keep = (k: string) => k.startsWith('step:') || (runId !== undefined && k.startsWith(`${runId}:`));
  ui.open = Object.fromEntries(Object.entries(ui.open).filter(([k]) => keep(k)));
  ui.drafts = Object.fromEntries(Object.entries(ui.drafts).filter(([k]) => keep(k)));
  saveUi();
}

function focusedKey(): { key: string; start?: number; end?: number } | undefined {
  const el = document.activeElement as HTMLElement | null;
  const key = el?.dataset?.key;
  if (!key) return undefined;
  return el instanceof HTMLTextAreaElement ? { key, start: el.selectionStart, end: el.selectionEnd } : { key };
}

function restoreFocus(f: ReturnType<typeof focusedKey>): void {
  if (!f) return;
  const el = app.querySelector<HTMLElement>(`[data-key="${CSS.escape(f.key)}"]`);
  if (!el) return;
  el.focus({ preventScroll: true });
  if (el instanceof HTMLTextAreaElement && f.start !== undefined) el.setSelectionRange(f.start, f.end ?? f.start);
}

// ---------- DOM helpers ----------

type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | undefined;

/** Creates an element; strings become text nodes, so nothing passed here is ever parsed as HTML. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (value === true) el.toggleAttribute(name, true);
    else el.setAttribute(name, value);
  }
  for (const c of children) if (c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

function icon(name: string): HTMLElement {
  return h('span', { class: `codicon ${name}`, 'aria-hidden': 'true' });
}

interface ButtonOpts {
  action: string;
  arg?: string;
  testid: string;
  icon?: string;
  title?: string;
  disabled?: boolean;
  primary?: boolean;
  link?: boolean;
}

function button(label: string, o: ButtonOpts): HTMLButtonElement {
  return h('button', {
    type: 'button', class: o.primary ? 'primary' : o.link ? 'link' : 'secondary', 'data-action': o.action, 'data-arg': o.arg,
    'data-testid': o.testid, 'data-key': `btn:${o.action}:${o.arg ?? ''}`, title: o.title, disabled: o.disabled,
  }, o.icon ? icon(o.icon) : undefined, o.icon ? ` ${label}` : label);
}

function prose(text: string, testid?: string): HTMLElement {
  return h('pre', { class: 'prose', 'data-testid': testid }, text);
}

/** Code, coloured for the run's language (highlight.ts). */
function codeBlock(code: string, testid?: string): HTMLElement {
  const lang = run?.meta.lang;
  const parts = lang ? tokenize(code, lang).map((t) => (t.kind === 'text' ? t.text : h('span', { class: `tok-${t.kind}` }, t.text))) : [code];
  return h('pre', { class: 'code' }, h('code', { 'data-testid': testid }, ...parts));
}

function firstLine(s: string): string {
  const line = s.trim().split('\n', 1)[0] ?? '';
  return line.length > 90 ? `${line.slice(0, 90)}…` : line;
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

render();
post({ type: 'ready' });
