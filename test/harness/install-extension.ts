// Installs the extension the way a user gets it: only the files a .vsix would hold, copied into the server's
// extensions folder as <publisher>.<name>-<version>. The file list comes from the project's .vscodeignore,
// read the way vsce reads it: every pattern in order, the last one that matches a path decides, `!` includes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './toolchain';

interface Rule { include: boolean; re: RegExp; prefix: string }

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` matches everything below.
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern naming a folder covers what is inside it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

function readRules(): Rule[] {
  return fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n')
    .map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const include = l.startsWith('!');
      const glob = (include ? l.slice(1) : l).replace(/^\//, '');
      return { include, re: globToRegExp(glob), prefix: glob.split(/[*?]/)[0] };
    });
}

const included = (rules: Rule[], rel: string) =>
  rules.reduce((inc, r) => (r.re.test(rel) ? r.include : inc), true);

/** A folder is worth walking only if it is not excluded whole, or some `!` pattern reaches inside it. */
const worthWalking = (rules: Rule[], dir: string) =>
  included(rules, dir) || rules.some((r) => r.include && (r.prefix.startsWith(`${dir}/`) || dir.startsWith(r.prefix.replace(/\/$/, ''))));

export function installExtensionCopy(extensionsDir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const dest = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  const rules = readRules();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(repoRoot, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) {
        if (worthWalking(rules, child)) walk(child);
      } else if (included(rules, child)) {
        fs.mkdirSync(path.dirname(path.join(dest, child)), { recursive: true });
        fs.copyFileSync(path.join(repoRoot, child), path.join(dest, child));
      }
    }
  };
  walk('');
  if (!fs.existsSync(path.join(dest, 'package.json'))) throw new Error('.vscodeignore leaves out package.json');
  return dest;
}
