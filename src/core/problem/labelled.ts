// Samples marked by label lines, as copied from Codeforces ("Examples / input / output", "InputCopy"),
// AtCoder ("Sample Input 1" ... "Sample Output 1", "入力例 1") and most plain-text statements.
import type { Sample } from '../types';
import { unwrapHtml } from './html';
import { COPY_BUTTON, isBlank, isProse, joinBlock, SECTION_END, stripMarkup } from './text';

const LABEL = /^(?:(sample|example)\s*)?(input|output|入力例|出力例)(?:\s*(?:sample|example))?\s*(?:#?\s*(\d+))?\s*(copy|コピー)?$/i;
const SAMPLES_HEADING = /^(examples?|samples?|sample\s+tests?(?:\s*\(s\))?|sample\s+cases?|test\s+cases?|入出力例)\s*(\d+)?$/i;
// "input\nstandard input" in a Codeforces header names the I/O channel, not a sample.
const CHANNEL = /^(standard\s+(input|output)|stdin|stdout|[\w-]+\.(txt|in|out|dat))$/i;

interface Label {
  line: number;
  kind: 'input' | 'output';
  /** says "sample", "example", a number or "Copy": a sample label for sure, unlike a bare "Input". */
  explicit: boolean;
}

function findLabels(keys: string[]): Label[] {
  const out: Label[] = [];
  keys.forEach((key, line) => {
    const m = LABEL.exec(key);
    if (!m || CHANNEL.test(keys[line + 1] ?? '')) return;
    const word = m[2].toLowerCase();
    const kind = word === 'input' || word === '入力例' ? 'input' : 'output';
    out.push({ line, kind, explicit: Boolean(m[1] || m[3] || m[4] || !/^(input|output)$/i.test(m[2])) });
  });
  return out;
}

function nextNonBlank(lines: string[], from: number): number {
  let j = from;
  while (j < lines.length && isBlank(lines[j])) j++;
  return j;
}

export function labelledSamples(text: string): Sample[] {
  const lines = text.split('\n');
  const keys = lines.map(stripMarkup);
  const labels = findLabels(keys);
  if (!labels.length) return [];
  const isLabel = new Set(labels.map((l) => l.line));

  const heading = keys.findIndex((k, i) => SAMPLES_HEADING.test(k) && isLabel.has(nextNonBlank(lines, i + 1)));
  const anyExplicit = labels.some((l) => l.explicit);
  const accepted = labels.filter((l) => {
    if (heading >= 0) return l.line > heading;
    if (anyExplicit) return l.explicit;
    return !isProse(lines[nextNonBlank(lines, l.line + 1)] ?? '');
  });
  const acceptedLines = new Set(accepted.map((l) => l.line));
  const ends = (j: number) =>
    acceptedLines.has(j) || SECTION_END.test(keys[j]) || SAMPLES_HEADING.test(keys[j]) || /^\s*#{1,6}\s/.test(lines[j]);

  const block = (label: Label): string => {
    let j = label.line + 1;
    if (COPY_BUTTON.test(keys[j] ?? '')) j++;
    const body: string[] = [];
    for (; j < lines.length && !ends(j); j++) {
      // an explanation after an output: prose after a blank line, or on the line right after (AtCoder copies)
      if (label.kind === 'output' && isBlank(lines[j]) && isProse(lines[nextNonBlank(lines, j)] ?? '')) break;
      if (label.kind === 'output' && body.some((l) => !isBlank(l)) && isProse(lines[j])) break;
      body.push(lines[j]);
    }
    return joinBlock(unwrapHtml(body));
  };

  const samples: Sample[] = [];
  let pending: string | undefined;
  for (const label of accepted) {
    const content = block(label);
    if (label.kind === 'input') pending = content;
    else if (pending !== undefined) {
      if (pending || content) samples.push({ input: pending, outputs: [content] });
      pending = undefined;
    }
  }
  return samples;
}
