import { AGENTS } from '../core/types';
import { DATASETS, type PaperDataset } from './datasets';
import { PUBLISHED } from './paper';
import { EVAL_MODES, type EvalMode, type EvalRecord } from './record';
import { groupStats, type GroupStats } from './stats';

export const MODE_LABELS: Record<EvalMode, string> = {
  direct: 'Direct (ours)',
  mapcoder: 'MapCoder, plain model (ours)',
  lite: 'MapCoder-Lite, adapters (ours)',
};

export interface ReportData {
  groups: GroupStats[];
  /** Model of each mode, as recorded (the last record's). */
  models: Partial<Record<EvalMode, string>>;
}

export function paperKey(dataset: string): PaperDataset | undefined {
  return DATASETS[dataset]?.paperKey;
}

export function datasetLabel(g: Pick<GroupStats, 'dataset' | 'hiddenAvailable'>): string {
  const name = paperKey(g.dataset) ?? g.dataset;
  return g.hiddenAvailable ? name : `${name} (samples only)`;
}

export function reportData(results: { dataset: string; mode: EvalMode; records: EvalRecord[] }[]): ReportData {
  const models: ReportData['models'] = {};
  for (const r of results) if (r.records.length) models[r.mode] = r.records[r.records.length - 1].model;
  return { groups: results.filter((r) => r.records.length).map((r) => groupStats(r.dataset, r.mode, r.records)), models };
}

const pct = (x: number) => x.toFixed(1);
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

function duration(s: number): string {
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** The paper-shaped table: one row per method, one column per dataset; published figures below ours. */
function passTable(data: ReportData): string {
  const datasets = [...new Map(data.groups.map((g) => [g.dataset, g])).values()];
  const head = ['Method', ...datasets.map((d) => datasetLabel({ dataset: d.dataset, hiddenAvailable: data.groups.filter((g) => g.dataset === d.dataset).every((g) => g.hiddenAvailable) }))];
  const rows: string[][] = [];
  for (const mode of EVAL_MODES) {
    const mine = data.groups.filter((g) => g.mode === mode);
    if (!mine.length) continue;
    rows.push([
      `${MODE_LABELS[mode]}${data.models[mode] ? ` — ${data.models[mode]}` : ''}`,
      ...datasets.map((d) => {
        const g = mine.find((x) => x.dataset === d.dataset);
        if (!g) return '—';
        const missing = g.notMeasured ? `, ${g.notMeasured} not measured` : '';
        const stress = g.stress ? `; samples only: ${pct(g.stress.pass1SamplesOnly)} (${g.stress.samplesOnlySolved}/${g.problems})` : '';
        const checked = g.checked ? `; with checkers: ${pct(g.checked.pass1)} (${g.checked.solved}/${g.problems}, ${g.checked.problems} checked)` : '';
        return g.problems ? `**${pct(g.pass1)}** (${g.solved}/${g.problems}${missing}${stress}${checked})` : `not measured (${g.notMeasured})`;
      }),
    ]);
  }
  for (const p of PUBLISHED) {
    const values = datasets.map((d) => {
      const key = paperKey(d.dataset);
      return key === undefined ? undefined : p.values[key];
    });
    if (values.every((v) => v === undefined)) continue;
    rows.push([p.who, ...values.map((v) => (v === undefined ? '—' : pct(v)))]);
  }
  return table(head, rows);
}

function detailTable(data: ReportData): string {
  const head = [
    'Dataset', 'Mode', 'Problems', 'pass@1 %', 'Final passes samples', 'Format failures R/P/C/D (unrecovered)', 'Problems with unrecovered',
    'Avg calls (R/P/C/D)', 'Avg tokens prompt / completion', 'Avg time', 'Total time', 'Judge errors', 'Not measured (endpoint failed)',
  ];
  return table(
    head,
    data.groups.map((g) => [
      datasetLabel(g), g.mode, g.problems, pct(g.pass1), `${g.samplesPassed}/${g.problems}`,
      `${AGENTS.map((a) => `${g.format[a].recovered + g.format[a].unrecovered} (${g.format[a].unrecovered})`).join(' / ')} — ${g.decoding}`,
      g.problemsWithUnrecovered,
      `${g.avgCalls} (${AGENTS.map((a) => g.callsByAgent[a]).join('/')})`,
      `${g.avgPromptTokens} / ${g.avgCompletionTokens}`,
      duration(g.avgSeconds), duration(g.totalSeconds), g.errors, g.notMeasured,
    ]),
  );
}

/** Solved problems by where the final program came from; columns in solving order. */
export function solvedAtColumns(groups: GroupStats[]): string[] {
  const keys = new Set(groups.flatMap((g) => Object.keys(g.solvedAt)));
  const round = (k: string) => (k === 'direct' ? -1 : k === 'first program' ? 0 : Number(k.replace(/\D+/g, '')));
  return [...keys].sort((a, b) => round(a) - round(b));
}

function whereTable(data: ReportData): string {
  const cols = solvedAtColumns(data.groups);
  return table(['Dataset', 'Mode', 'Solved', ...cols], data.groups.map((g) => [datasetLabel(g), g.mode, g.solved, ...cols.map((c) => g.solvedAt[c] ?? 0)]));
}

const TESTS_USED: Record<string, string> = {
  apps: "APPS's test_list",
  humaneval: "HumanEval's check(candidate), one block",
  'humaneval-et': "HumanEval-ET's test_case_list, one test per assert",
  mbpp: "mbpp-py's test block, one block",
  xcodeeval: "xCodeEval's hidden unit tests (unittest_db)",
};

/** How each judge that ran the hidden tests decides a verdict: their rules differ. */
function judgeRules(groups: GroupStats[]): string[] {
  const used = new Set(groups.flatMap((g) => g.judges));
  return [
    ...(used.has('local') ? ['Local judge: outputs match when the trimmed lines are equal or every token is (numbers within 1e-6 absolute or relative); function-style tests run in one Python process per program, each test under the time limit.'] : []),
    ...(used.has('execeval') ? ['ExecEval (its own rules, as MapCoder measured with it): outputs match when the stripped lines are equal or every token is (numbers within 1e-12 absolute, `nan` equal to any number, yes/no/true/false in any case); its time limit is a wall clock of the whole seconds sent times a per-language factor (Python x3, C/C++ x1); a nonzero exit with empty stderr counts as a memory-limit verdict; Python runs with -OO and 4 open files (the harness keeps the tests\' asserts); a compile error makes every test CE.'] : []),
  ];
}

/** Which tests judged each dataset, and how many per problem. */
function testsUsed(groups: GroupStats[]): string {
  const seen = new Map<string, GroupStats>();
  for (const g of groups) if (!seen.has(g.dataset)) seen.set(g.dataset, g);
  return [...seen.values()]
    .map((g) => `${paperKey(g.dataset) ?? g.dataset} ${g.avgHiddenTests} (${g.hiddenAvailable ? (TESTS_USED[g.dataset] ?? 'its hidden tests') : 'the samples'})`)
    .join('; ');
}

export function reportMarkdown(data: ReportData): string {
  const samplesOnly = data.groups.some((g) => !g.hiddenAvailable);
  const notes = [
    'pass@1: share of problems whose final program (one per problem) passes every hidden test. The agents see only the sample tests.',
    ...(samplesOnly
      ? ['"samples only": the data holds no hidden tests for this set (for xCodeEval: `mapcoder-lite data fetch xcodeeval` gets its unittest_db), so the final program is judged on the sample tests again. This is not the paper\'s metric and is not comparable to the published figure.']
      : []),
    `Tests the final programs were judged on, per problem on average: ${testsUsed(data.groups)}.`,
    ...judgeRules(data.groups),
    ...(data.groups.some((g) => g.stress)
      ? [`With stress tests (--stress ${data.groups.find((g) => g.stress)!.stress!.tests}): the bold figure is with them; "samples only" is pass@1 of the program the same runs had when it first passed the samples, which is what the paper's setting returns. Inputs where a program and the brute force disagreed: ${data.groups.filter((g) => g.stress).map((g) => `${g.dataset} ${g.mode} ${g.stress!.counterexamples}`).join(', ')}.`]
      : []),
    ...(data.groups.some((g) => g.checked)
      ? ['The bold figure compares outputs with the expected ones (the judge\'s tokens and 1e-6 floats), as the published figures do; "with checkers" judges the problems that have a checker (--checkers DIR, or a tolerance their statement names) through it, which accepts the other valid answers of any-answer problems.']
      : []),
    'Published figures come from the papers, with their models and judges; they are context, not a like-for-like comparison.',
    'Format failures: replies an agent\'s parser had to repair (recovered) or replace with a fallback (unrecovered); R/P/C/D = retrieval, planning, coding, debugging; "constrained": every reply was held to the protocol\'s shape by a grammar on the server (--constrain), "free": none was.',
  ];
  const unmeasured = data.groups.filter((g) => g.notMeasured);
  const warning = unmeasured.length
    ? [`**Not measured: ${unmeasured.map((g) => `${g.notMeasured} ${g.dataset} ${g.mode}`).join(', ')} problem runs stopped because the endpoint failed (${unmeasured[0].notMeasuredReason ?? 'no reason given'}). They count neither as solved nor as failed; run the same command again when the endpoint answers.**`, '']
    : [];
  return [
    '# MapCoder-Lite evaluation',
    '',
    ...warning,
    '## pass@1 (%)',
    '',
    passTable(data),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    '## Details',
    '',
    detailTable(data),
    '',
    '## Where problems were solved',
    '',
    whereTable(data),
    '',
  ].join('\n');
}
