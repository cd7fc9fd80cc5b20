import { strict as assert } from 'node:assert';
import { parseProblem } from '../../../src/core/problem';
import { parseDuration, parseMemory } from '../../../src/core/problem/limits';
import { normalizeSample } from '../../../src/core/problem/text';
import { readJsonl } from '../helpers/data';

// Acceptance: xCodeEval validation problems (the fixtures' 8; the layer test/execeval runs all 106), rendered back to statement text three ways,
// must give back its samples and limits.
interface XCodeEvalItem {
  description: string;
  input_spec: string;
  output_spec: string;
  notes: string | null;
  sample_inputs: string[];
  sample_outputs: string[];
  time_limit: string;
  memory_limit: string;
  src_uid: string;
}

const items = readJsonl<XCodeEvalItem>('prog_syn_val.jsonl');
const title = (i: number) => `${String.fromCharCode(65 + (i % 6))}. Problem ${i + 1}`;
const note = (it: XCodeEvalItem) => (it.notes ? it.notes.replace(/^Note\s*/, '') : '');

/** The Codeforces page as copied from a browser; `copyButtons` gives the newer "InputCopy" labels. */
function codeforcesPage(it: XCodeEvalItem, i: number, copyButtons: boolean): string {
  const [inLabel, outLabel] = copyButtons ? ['InputCopy', 'OutputCopy'] : ['input', 'output'];
  const samples = it.sample_inputs.map((input, k) => `${inLabel}\n${input}\n${outLabel}\n${it.sample_outputs[k]}\n`);
  return [
    `${title(i)}\ntime limit per test\n${it.time_limit}\nmemory limit per test\n${it.memory_limit}\ninput\nstandard input\noutput\nstandard output\n`,
    it.description,
    `Input\n${it.input_spec}`,
    `Output\n${it.output_spec}`,
    `${it.sample_inputs.length > 1 ? 'Examples' : 'Example'}\n${samples.join('')}`,
    ...(it.notes ? [`Note\n${note(it)}`] : []),
  ].join('\n\n');
}

/** Markdown with fenced samples, cycling through three ways of labelling the fences. */
function markdownPage(it: XCodeEvalItem, i: number): string {
  const samples = it.sample_inputs.map((input, k) => {
    const output = it.sample_outputs[k];
    switch (i % 3) {
      case 0: return `\`\`\`input\n${input}\n\`\`\`\n\n\`\`\`output\n${output}\n\`\`\``;
      case 1: return `### Input ${k + 1}\n\n\`\`\`\n${input}\n\`\`\`\n\n### Output ${k + 1}\n\n\`\`\`\n${output}\n\`\`\``;
      default: return `**Sample input ${k + 1}**\n\`\`\`text\n${input}\n\`\`\`\n**Sample output ${k + 1}**\n\`\`\`text\n${output}\n\`\`\``;
    }
  });
  return [
    `# ${title(i)}`,
    `**Time limit:** ${it.time_limit}  \n**Memory limit:** ${it.memory_limit}`,
    it.description,
    `## Input\n\n${it.input_spec}`,
    `## Output\n\n${it.output_spec}`,
    `## Examples\n\n${samples.join('\n\n')}`,
    ...(it.notes ? [`## Note\n\n${note(it)}`] : []),
  ].join('\n\n');
}

const renderings: Record<string, (it: XCodeEvalItem, i: number) => string> = {
  'Codeforces page (input/output)': (it, i) => codeforcesPage(it, i, false),
  'Codeforces page (InputCopy/OutputCopy)': (it, i) => codeforcesPage(it, i, true),
  'Markdown with fences': markdownPage,
};

describe('xCodeEval acceptance (prog_syn_val.jsonl)', () => {
  it('holds the excerpt\'s 8 problems', () => assert.equal(items.length, 8));

  for (const [name, render] of Object.entries(renderings)) {
    it(`${name}: samples, limits and title of every problem`, () => {
      const failures: string[] = [];
      items.forEach((it, i) => {
        const p = parseProblem(render(it, i));
        const got = p.samples.map((s) => ({ input: s.input, outputs: s.outputs }));
        const want = it.sample_inputs.map((input, k) => ({
          input: normalizeSample(input),
          outputs: [normalizeSample(it.sample_outputs[k])],
        }));
        try {
          assert.deepEqual(got, want);
          assert.equal(p.timeLimitMs, parseDuration(it.time_limit));
          assert.equal(p.memoryLimitMb, parseMemory(it.memory_limit));
          assert.equal(p.title, title(i));
          assert.deepEqual(p.style, { kind: 'stdio' });
        } catch (e) {
          failures.push(`#${i} ${it.src_uid}: ${(e as Error).message.split('\n')[0]}`);
        }
      });
      console.log(`      ${name}: ${items.length - failures.length}/${items.length}`);
      assert.deepEqual(failures, []);
    });
  }
});
