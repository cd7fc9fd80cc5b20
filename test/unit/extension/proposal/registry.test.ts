import { strict as assert } from 'node:assert';
import type { ProposalRegistry as Registry } from '../../../../src/extension/proposal/registry';
import type { Proposal } from '../../../../src/extension/proposal/types';
import { RunStore } from '../../../../src/extension/state/run-store';
import { fakeVscode, loadWithFakeVscode, shownMessages } from '../panel/fake-vscode';
import { FakeTimers } from '../state/fake-timers';
import { META } from '../state/recorded-run';

const { ProposalRegistry } = loadWithFakeVscode(() => require('../../../../src/extension/proposal/registry') as typeof import('../../../../src/extension/proposal/registry'));

describe('extension/proposal: the registry of proposals showing', () => {
  const uri = new fakeVscode.Uri('/ws/sum.py');
  const proposal = (runId: string): Proposal => ({ kind: 'new', runId, lang: 'python3', summary: 'passes 2/2', uri: uri as never, proposed: 'print(3)\n' });

  function setup() {
    const store = new RunStore({ timers: new FakeTimers() });
    store.start(META);
    const registry: Registry = new ProposalRegistry(store);
    let changes = 0;
    registry.onDidChange(() => changes++);
    return { store, registry, changes: () => changes };
  }

  afterEach(() => {
    shownMessages.length = 0;
    fakeVscode.window.activeTextEditor = undefined;
  });

  it('records in the run store when a proposal starts showing and how it ends, once', () => {
    const { store, registry, changes } = setup();
    const p = proposal(META.runId);
    registry.add(p);
    assert.equal(store.get(META.runId)?.proposal, 'showing');
    assert.equal(registry.get(uri as never), p);
    assert.equal(registry.ofRun(META.runId), p);
    assert.equal(registry.delete(p, 'rejected'), true);
    assert.equal(registry.delete(p, 'accepted'), false, 'already gone: a second end is not recorded');
    assert.equal(store.get(META.runId)?.proposal, 'rejected');
    assert.deepEqual([registry.all(), changes()], [[], 2]);
  });

  it('a proposal replaced in its document is no longer the one an end applies to', () => {
    const { registry } = setup();
    const first = proposal(META.runId);
    const second = proposal('r2');
    registry.add(first);
    registry.add(second);
    assert.equal(registry.delete(first, 'stale'), false);
    assert.equal(registry.get(uri as never), second);
  });

  it('chooses by run id, else the active editor\'s, else the only one; says so when there is none', async () => {
    const { registry } = setup();
    assert.equal(await registry.choose(undefined, 'accept'), undefined);
    assert.equal(await registry.choose('nope', 'accept'), undefined);
    assert.deepEqual(shownMessages, ['No MapCoder-Lite proposal is showing.', 'That proposal is no longer showing.']);
    const p = proposal(META.runId);
    registry.add(p);
    assert.equal(await registry.choose(META.runId, 'accept'), p);
    assert.equal(await registry.choose(undefined, 'accept'), p);
    fakeVscode.window.activeTextEditor = { document: { uri } };
    assert.equal(await registry.choose(undefined, 'reject'), p);
  });
});
