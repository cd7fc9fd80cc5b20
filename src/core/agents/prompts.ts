import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChatMessage } from '../types';

/** The prompt templates, one per agent call (see prompts/README.md), and the distillation supervisor's. */
export type PromptName = 'retrieval' | 'planning' | 'confidence' | 'coding' | 'debugging' | 'direct' | 'brute' | 'generator' | 'checker' | 'supervisor';
export const PROMPT_NAMES: readonly PromptName[] = ['retrieval', 'planning', 'confidence', 'coding', 'debugging', 'direct', 'brute', 'generator', 'checker', 'supervisor'];

/** The variables each template may use; anything else in a template is reported at load time. */
const VARIABLES: Record<PromptName, readonly string[]> = {
  retrieval: ['problem', 'language', 'k'],
  planning: ['problem', 'samples', 'language', 'algorithm', 'exemplar_description', 'exemplar_planning'],
  confidence: ['problem', 'samples', 'language', 'plan'],
  coding: ['problem', 'samples', 'language', 'fence', 'io', 'algorithm', 'plan'],
  debugging: ['problem', 'language', 'fence', 'io', 'algorithm', 'plan', 'code', 'report'],
  direct: ['problem', 'samples', 'language', 'fence', 'io'],
  brute: ['problem', 'samples', 'language', 'fence', 'io'],
  generator: ['problem', 'language', 'fence'],
  checker: ['problem', 'samples', 'language', 'fence'],
  supervisor: ['problem', 'language', 'fence', 'algorithm', 'plan', 'code', 'report'],
};

export class PromptError extends Error {
  override name = 'PromptError';
}

interface Template {
  system: string;
  user: string;
  file: string;
}

export type PromptVars = Record<string, string | number | undefined>;

/** A loaded set of templates. `hash` ties datasets and traces to the exact wording used. */
export class PromptSet {
  private constructor(
    private readonly templates: Record<PromptName, Template>,
    readonly hash: string,
    readonly dirs: string[],
  ) {}

  /**
   * Loads templates from `customDir` (if given), falling back per file to the built-in folder.
   * Validates every template up front so a typo fails before the first model call.
   */
  static load(customDir?: string): PromptSet {
    const builtin = builtinPromptsDir();
    if (customDir && !existsSync(customDir)) throw new PromptError(`Prompt folder not found: ${customDir}`);
    const dirs = customDir ? [customDir, builtin] : [builtin];
    const hasher = createHash('sha256');
    const templates = {} as Record<PromptName, Template>;
    for (const name of PROMPT_NAMES) {
      const file = dirs.map((d) => join(d, `${name}.md`)).find((f) => existsSync(f));
      if (!file) throw new PromptError(`No ${name}.md in ${dirs.join(' or ')}`);
      const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
      templates[name] = parseTemplate(text, file, name);
      hasher.update(`${name}\0${text}\0`);
    }
    return new PromptSet(templates, hasher.digest('hex').slice(0, 16), dirs);
  }

  render(name: PromptName, vars: PromptVars): ChatMessage[] {
    const t = this.templates[name];
    const messages: ChatMessage[] = [];
    const system = fill(t.system, vars).trim();
    if (system) messages.push({ role: 'system', content: system });
    messages.push({ role: 'user', content: fill(t.user, vars).trim() });
    return messages;
  }
}

/** prompts/ beside the bundle (dist/..) or beside the sources (src/core/agents/../../..). */
export function builtinPromptsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'prompts', 'retrieval.md'))) return join(dir, 'prompts');
    dir = dirname(dir);
  }
  throw new PromptError(`Built-in prompts folder not found above ${__dirname}`);
}

function parseTemplate(text: string, file: string, name: PromptName): Template {
  const m = /^@@ system\n([\s\S]*?)^@@ user\n([\s\S]*)$/m.exec(text);
  if (!m) throw new PromptError(`${file}: expected an "@@ system" part followed by an "@@ user" part`);
  const allowed = new Set(VARIABLES[name]);
  for (const [, , v] of text.matchAll(/\{\{([#/]?)([a-zA-Z_]+)\}\}/g)) {
    if (!allowed.has(v)) throw new PromptError(`${file}: unknown placeholder {{${v}}}; ${name}.md may use ${[...allowed].join(', ')}`);
  }
  const opens = [...text.matchAll(/\{\{#([a-zA-Z_]+)\}\}/g)].map((x) => x[1]);
  for (const v of opens) {
    if (!text.includes(`{{/${v}}}`)) throw new PromptError(`${file}: {{#${v}}} is never closed with {{/${v}}}`);
  }
  return { system: m[1], user: m[2], file };
}

/** Sections first (so their bodies can hold placeholders), then plain placeholders in one pass. */
function fill(template: string, vars: PromptVars): string {
  const present = (v: string) => vars[v] !== undefined && String(vars[v]).trim() !== '';
  const sectioned = template.replace(/\{\{#([a-zA-Z_]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g, (_, v: string, body: string) =>
    present(v) ? body : '',
  );
  // One pass with a function replacer: values containing "{{x}}" or "$&" are inserted literally.
  return sectioned.replace(/\{\{([a-zA-Z_]+)\}\}/g, (_, v: string) => (vars[v] === undefined ? '' : String(vars[v])));
}
