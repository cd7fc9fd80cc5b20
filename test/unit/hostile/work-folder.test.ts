import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sandboxWorks } from '../../../src/core/judge/sandbox';
import { buildCli, isRoot, marker, noneLeft, ROOT, runAs, TEST_USER, useOrdinaryUser } from './helpers';

// The judge where it really runs: its folder is TMPDIR/mapcoder-lite-judge-UID, and TMPDIR is often a
// folder only its owner may enter (`mktemp -d`, root's ~/tmp, a 0700 home). Under root the programs run
// as nobody, who could not pass such a folder: every program of every problem was CE "Permission
// denied: 'main.py'". Each case judges a Python, a C++ and (once) a Java solution through the CLI, and
// checks that nothing stays running and nothing of the run stays in TMPDIR but the judge's cached helper.
const USER = TEST_USER;
const SOLUTIONS: Record<string, string> = {
  'sum.py': 'a, b = map(int, input().split())\nprint(a + b)\n',
  'sum.cpp': '#include <iostream>\nint main(){ long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }\n',
  'Main.java': 'import java.util.*;\npublic class Main { public static void main(String[] x) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }\n',
};

if (sandboxWorks()) describe('hostile: the judge\'s folder in a TMPDIR only its owner may enter', function () {
  this.timeout(90_000);
  let files: string;
  if (isRoot) useOrdinaryUser();
  before(() => {
    buildCli();
    // The statement and solutions, readable by everyone (the CLI reads them as the user, outside the sandbox).
    files = mkdtempSync(join(ROOT, '.mcl-work-folder-'));
    chmodSync(files, 0o755);
    writeFileSync(join(files, 'sum.md'), '# Sum\n\n## Example\n\n```input\n1 2\n```\n\n```output\n3\n```\n\n```input\n40 2\n```\n\n```output\n42\n```\n', { mode: 0o644 });
    for (const [name, code] of Object.entries(SOLUTIONS)) writeFileSync(join(files, name), code, { mode: 0o644 });
  });
  after(() => rmSync(files, { recursive: true, force: true }));

  interface Case {
    name: string;
    user?: string;
    /** Makes the TMPDIR (and what it needs); returns it. */
    tmpdir: (mark: string) => string;
    java?: boolean;
  }
  const asUser = (user: string, argv: string[]) => runAs(user, argv).stdout.trim();
  const cases: Case[] = isRoot ? [
    { name: 'root, TMPDIR from mktemp -d (0700 in /tmp)', tmpdir: (m) => mkdtempSync(`/tmp/${m}-`), java: true },
    { name: 'root, TMPDIR ~/tmp (0700, in a 0700 home)', tmpdir: (m) => {
      const t = join(homedir(), `.${m}-tmp`);
      mkdirSync(t, { mode: 0o700 });
      return t;
    } },
    { name: 'an ordinary user, TMPDIR unset (/tmp)', user: USER, tmpdir: () => '' },
    { name: 'an ordinary user, TMPDIR from mktemp -d', user: USER, tmpdir: (m) => asUser(USER, ['mktemp', '-d', `/tmp/${m}-XXXXXX`]), java: true },
    { name: 'an ordinary user with a 0700 home, TMPDIR ~/tmp', user: USER, tmpdir: (m) => {
      chmodSync(`/home/${USER}`, 0o700);
      return asUser(USER, ['sh', '-c', `mkdir -m 700 "$HOME/${m}-tmp" && echo "$HOME/${m}-tmp"`]);
    } },
  ] : [
    { name: 'this user, TMPDIR from mktemp -d', tmpdir: (m) => mkdtempSync(`/tmp/${m}-`), java: true },
  ];

  for (const c of cases) {
    it(`${c.name}: every language is judged (AC), nothing stays running or in TMPDIR`, async () => {
      const mark = marker();
      const tmp = c.tmpdir(mark);
      try {
        for (const name of Object.keys(SOLUTIONS).filter((n) => c.java || !n.endsWith('.java'))) {
          const r = runAs(c.user, ['node', buildCli(), 'judge', join(files, 'sum.md'), join(files, name)], tmp ? { TMPDIR: tmp } : {});
          assert.equal(r.status, 0, `${name}: ${r.stdout}${r.stderr}`);
          assert.match(r.stdout, /2\/2 passed, verdict AC/);
        }
        if (!tmp) return;
        await noneLeft(tmp);
        const uid = c.user ? asUser(c.user, ['id', '-u']) : String(process.getuid!());
        assert.deepEqual(readdirSync(tmp), [`mapcoder-lite-judge-${uid}`]);
        assert.ok(readdirSync(join(tmp, `mapcoder-lite-judge-${uid}`)).every((f) => f.startsWith('sandbox-helper-')));
      } finally {
        if (tmp) rmSync(tmp, { recursive: true, force: true });
        if (c.user) chmodSync(`/home/${c.user}`, 0o755);
      }
    });
  }
});
