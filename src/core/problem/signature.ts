// The function a function-style problem asks for: a Python `def`, a JavaScript `function`, or a method
// of a LeetCode `class Solution` skeleton (C++, Java, C#, Python) / `impl Solution` (Rust).
import { findFences } from './markdown';

export interface Signature {
  name: string;
  signature: string;
  /** the skeleton around it: its fenced block, or its class/def block */
  starter: string;
}

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'sizeof', 'Solution', 'main']);

interface Hit {
  name: string;
  params: string;
  index: number;
  text: string;
}

function pythonDefs(text: string): Hit[] {
  const re = /^[ \t]*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*(?:->\s*[^:\n]+)?:/gm;
  return [...text.matchAll(re)].map((m) => ({ name: m[1], params: m[2], index: m.index!, text: m[0] }));
}

function jsFunctions(text: string): Hit[] {
  const re = /\bfunction\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)|\b(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\s*\(([^)]*)\)|\(([^)]*)\)\s*=>)/g;
  return [...text.matchAll(re)].map((m) => ({
    name: m[1] ?? m[3],
    params: m[2] ?? m[4] ?? m[5] ?? '',
    index: m.index!,
    text: m[0],
  }));
}

/** The first method declared inside `class Solution` / `impl Solution`, with the class's offset. */
function solutionMethod(text: string): { hit: Hit; classIndex: number } | undefined {
  const cls = /\b(?:class|impl)\s+Solution\b/.exec(text);
  if (!cls) return undefined;
  const re = /(?:^|[\s:;{}])(?:pub\s+)?(?:fn\s+)?([A-Za-z_]\w*)\s*\(([^()]*)\)\s*(?:const\s*)?(?:->\s*[^{;:]+)?[{:]/g;
  re.lastIndex = cls.index + cls[0].length;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lead = /^[\s:;{}]*/.exec(m[0])![0].length;
    const hit = { name: m[1], params: m[2], index: m.index + lead, text: m[0].slice(lead) };
    if (!KEYWORDS.has(m[1])) return { hit, classIndex: cls.index };
  }
  return undefined;
}

const takesArgs = (h: Hit) => h.params.replace(/\bself\b\s*,?/, '').trim() !== '';
const usable = (h: Hit) => !h.name.startsWith('__') && !KEYWORDS.has(h.name) && takesArgs(h);

/** From the line at `index`: an indented block (Python) or a brace-balanced one. */
function blockFrom(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const lines = text.slice(start).split('\n');
  const indent = /^[ \t]*/.exec(lines[0])![0].length;
  if (!lines[0].includes('{')) {
    let n = 1;
    while (n < lines.length && (!lines[n].trim() || /^[ \t]*/.exec(lines[n])![0].length > indent)) n++;
    return lines.slice(0, n).join('\n').trimEnd();
  }
  let depth = 0;
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) break;
  }
  return out.join('\n').trimEnd();
}

export function findSignature(text: string): Signature | undefined {
  const method = solutionMethod(text);
  const hit = method?.hit ?? [...pythonDefs(text), ...jsFunctions(text)].filter(usable).sort((a, b) => a.index - b.index).pop();
  if (!hit) return undefined;
  const line = text.slice(0, hit.index).split('\n').length - 1;
  const fence = findFences(text).find((f) => f.open < line && line < f.close);
  const starter = fence ? fence.lines.join('\n').trimEnd() : blockFrom(text, method ? method.classIndex : hit.index);
  // the whole declaration: return type, modifiers and `def`/`fn` in front of the name included
  const declaration = text.slice(text.lastIndexOf('\n', hit.index) + 1, hit.index + hit.text.length);
  const signature = declaration.trim().replace(/\s*\{$/, '').replace(/\s+/g, ' ');
  return { name: hit.name, signature, starter };
}
