// The user's own brute force and input generator for the stress tests, found beside the problem, which
// is how contestants keep them: `brute.<ext>` and `gen.<ext>` (or `generator.<ext>`) in the problem's
// folder, any language by the extension. vscode-free.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { langFromFileName } from '../core/judge/languages';
import type { StressOptions } from '../core/stress';
import type { Lang } from '../core/types';

const NAMES = { brute: ['brute'], generator: ['gen', 'generator'] } as const;
/** A stress program larger than this is not one a person wrote by hand; it is ignored. */
const MAX_BYTES = 256 * 1024;

export interface UserStressPrograms {
  brute?: { code: string; lang: Lang; file: string };
  generator?: { code: string; lang: Lang; file: string };
}

/** The stress programs in `dir`, when there are any (the first by name order for each role). */
export function userStressPrograms(dir: string): UserStressPrograms {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return {};
  }
  const found: UserStressPrograms = {};
  for (const role of ['brute', 'generator'] as const) {
    for (const name of entries) {
      const stem = name.slice(0, name.lastIndexOf('.'));
      const lang = langFromFileName(name);
      if (!lang || !(NAMES[role] as readonly string[]).includes(stem.toLowerCase())) continue;
      const file = join(dir, name);
      try {
        const st = statSync(file);
        if (!st.isFile() || st.size > MAX_BYTES) continue;
        found[role] = { code: readFileSync(file, 'utf8'), lang, file };
        break;
      } catch {
        // unreadable: as if absent
      }
    }
  }
  return found;
}

/** The core's stress options from the setting and the programs found. */
export function stressOptions(tests: number, own: UserStressPrograms): StressOptions {
  const strip = (p?: { code: string; lang: Lang }) => (p ? { code: p.code, lang: p.lang } : undefined);
  return { tests, ...(own.brute ? { brute: strip(own.brute) } : {}), ...(own.generator ? { generator: strip(own.generator) } : {}) };
}
