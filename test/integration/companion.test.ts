// Problems from the browser: Competitive Companion POSTs to the extension's listener in a real VS Code.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createServer } from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, sleep, waitFor, workspaceDir, type TestApi } from './helpers';
import { freePort } from '../fixtures/net';

const BODY = JSON.stringify({
  name: 'B. Browser Sum', group: 'Companion Test Round', url: 'https://example.com/contest/1/problem/B',
  interactive: false, memoryLimit: 256, timeLimit: 2000,
  tests: [{ input: '1 2\n', output: '3\n' }], testType: 'single', input: { type: 'stdin' }, output: { type: 'stdout' },
});


const post = (port: number, body: string) => fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
const files = () => fs.readdirSync(workspaceDir(), { recursive: true }).map(String).sort();

describe('Competitive Companion', () => {
  let a: TestApi;
  const config = () => vscode.workspace.getConfiguration('mapcoderLite');
  before(async () => { a = await api(); });
  after(async () => { await config().update('companion.port', undefined, vscode.ConfigurationTarget.Workspace); });

  it('a POST becomes a statement file and a source file in a folder per contest, and the statement opens', async () => {
    const port = await freePort();
    await config().update('companion.port', port, vscode.ConfigurationTarget.Workspace);
    await waitFor(`the listener on ${port}`, () => (a.companion() === port ? true : undefined));
    const r = await post(port, BODY);
    assert.equal(r.status, 200, await r.text());
    const statement = path.join(workspaceDir(), 'Companion Test Round', 'B. Browser Sum.md');
    assert.ok(fs.existsSync(path.join(workspaceDir(), 'Companion Test Round', 'B. Browser Sum.py')), 'the source file, in the default language');
    const active = await waitFor('the statement in the editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === statement ? true : undefined));
    assert.ok(active);
    assert.match(fs.readFileSync(statement, 'utf8'), /paste the problem statement here/);
  });

  it('a malformed POST gets 400 and writes nothing; the same problem again refreshes its samples and limits and keeps the pasted statement', async () => {
    const port = a.companion()!;
    const statement = path.join(workspaceDir(), 'Companion Test Round', 'B. Browser Sum.md');
    fs.writeFileSync(statement, fs.readFileSync(statement, 'utf8').replace(/^Competitive Companion sends no statement text.*$/m, 'My pasted statement.'));
    const before = files();
    assert.equal((await post(port, '{"name": "no tests"}')).status, 400);
    const again = await post(port, JSON.stringify({ ...JSON.parse(BODY), timeLimit: 3000 }));
    assert.deepEqual([again.status, await again.text()], [200, 'updated\n']);
    assert.deepEqual(files(), before);
    const text = fs.readFileSync(statement, 'utf8');
    assert.match(text, /^time-limit-ms: 3000$/m);
    assert.match(text, /^My pasted statement\.$/m);
  });

  it('a port another window holds is waited for and taken over once free; one another program holds is left to it', async () => {
    // another window: our listener's header in its answers
    const port = await freePort();
    const window = createServer((_req, res) => { res.writeHead(405, { 'x-mapcoder-lite': 'companion-listener' }); res.end(); });
    await new Promise<void>((r) => window.listen(port, '127.0.0.1', r));
    await config().update('companion.port', port, vscode.ConfigurationTarget.Workspace);
    await sleep(1000);
    assert.equal(a.companion(), undefined, 'not listening while the port is taken');
    await new Promise<void>((r) => window.close(() => r()));
    await waitFor(`the listener on ${port} after the other window let go`, () => (a.companion() === port ? true : undefined), 15_000);
    assert.equal((await post(port, BODY)).status, 200);

    // another program (cph, say): never taken back when it lets go
    const taken = await freePort();
    const other = createServer((_req, res) => res.end('{"empty":true}'));
    await new Promise<void>((r) => other.listen(taken, '127.0.0.1', r));
    await config().update('companion.port', taken, vscode.ConfigurationTarget.Workspace);
    await sleep(1000);
    await new Promise<void>((r) => other.close(() => r()));
    await sleep(7000); // past the 5 s a window waits between tries for another window
    assert.equal(a.companion(), undefined, 'the port is left to the other program');
  });
});
