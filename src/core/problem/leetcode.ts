// LeetCode-style examples: "Example 1:" / "Input: nums = [2,7], target = 9" / "Output: [0,1]" /
// "Explanation: ...". The label may carry its value on the same line or on the following ones.
import { pyLiteral, splitTopLevel, stripComment } from './pyexpr';
import { isBlank, isProse, SECTION_END, stripMarkup } from './text';

export interface IoExample {
  input: string;
  output: string;
}

const LABEL = /^\s*(?:\*\*|__)?(input|output|explanation)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(.*)$/i;
const STOP = /^(example|sample)\s*\d*$/i;

function isStop(line: string): boolean {
  const key = stripMarkup(line);
  return STOP.test(key) || SECTION_END.test(key) || /^\s*(`{3,}|~{3,})/.test(line);
}

const ASSIGNMENTS = /^\s*[A-Za-z_]\w*\s*[=:]/;

export function leetcodeExamples(text: string): IoExample[] {
  const lines = text.split('\n');
  const out: IoExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = LABEL.exec(lines[i]);
    if (!m || m[1].toLowerCase() !== 'input') continue;
    const inputLines = m[2].trim() ? [m[2].trim()] : [];
    let j = i + 1;
    for (; j < lines.length && !LABEL.test(lines[j]) && !isStop(lines[j]); j++) {
      if (lines[j].trim()) inputLines.push(lines[j].trim());
      else if (inputLines.length) {
        while (j + 1 < lines.length && isBlank(lines[j + 1])) j++;
        if (!/^output$/i.test(LABEL.exec(lines[j + 1] ?? '')?.[1] ?? '')) break;
      }
    }
    const o = j < lines.length ? LABEL.exec(lines[j]) : null;
    if (!o || o[1].toLowerCase() !== 'output' || !inputLines.length || isProse(inputLines[0])) continue;
    // an own-line "Input:" label is a LeetCode example only when its value reads as assignments
    if (!m[2].trim() && !ASSIGNMENTS.test(inputLines[0])) continue;
    const outputLines = o[2].trim() ? [o[2].trim()] : [];
    let k = j + 1;
    for (; k < lines.length && !LABEL.test(lines[k]) && !isStop(lines[k]); k++) {
      if (isBlank(lines[k])) {
        if (outputLines.length) break;
      } else outputLines.push(lines[k].trim());
    }
    if (outputLines.length) out.push({ input: inputLines.join('\n'), output: outputLines.join('\n') });
    i = k - 1;
  }
  return out;
}

/**
 * `assert name(nums=[2,7], target=9) == [0,1]`: keyword arguments when the input is `name = value`
 * pairs whose names the signature's parameters include (or no parameters are known), else positional.
 */
export function exampleAssert(name: string, ex: IoExample, params: string[] = []): string {
  const flat = ex.input.replace(/\s*\n\s*/g, ' ');
  const parts = splitTopLevel(flat, ',').map((p) => /^\s*([A-Za-z_]\w*)\s*[=:](?!=)\s*([\s\S]+)$/.exec(p));
  const pairs = parts.every(Boolean) ? parts.map((m) => ({ key: m![1], value: pyLiteral(m![2]) })) : undefined;
  const keywords = pairs && (!params.length || pairs.every((p) => params.includes(p.key)));
  const args = pairs ? pairs.map((p) => (keywords ? `${p.key}=${p.value}` : p.value)).join(', ') : pyLiteral(flat);
  const output = stripComment(ex.output.replace(/\s*\n\s*/g, ' ').replace(/("""|''').*$/, ''));
  return `assert ${name}(${args}) == ${pyLiteral(output)}`;
}
