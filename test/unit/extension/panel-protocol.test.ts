import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isFromWebview, MAX_ID_LENGTH, MAX_PLAN_LENGTH, type FromWebview } from '../../../src/panel-protocol';

// Every message the webview can send, one of each.
const VALID: FromWebview[] = [
  { type: 'ready' },
  { type: 'solve' },
  { type: 'cancel', runId: 'r1' },
  { type: 'rerunFromPlan', runId: 'r1', planIndex: 0, plan: 'Read a and b; print a + b.' },
  { type: 'rerunStep', runId: 'r1', step: 'retrieval' },
  { type: 'rerunStep', runId: 'r1', step: 'planning' },
  { type: 'rerunStep', runId: 'r1', step: 'coding' },
  { type: 'accept', runId: 'r1' },
  { type: 'reject', runId: 'r1' },
  { type: 'openRun', runId: 'r1' },
  { type: 'openFile', file: '/ws/problems/sum.md' },
];

/** An independent statement of "well-formed", for the property below. */
function wellFormed(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const m = x as Record<string, unknown>;
  const keys = Object.keys(m).sort().join(',');
  const isId = (v: unknown) => typeof v === 'string' && v !== '' && v.length <= MAX_ID_LENGTH;
  switch (m.type) {
    case 'ready':
    case 'solve':
      return keys === 'type';
    case 'cancel':
    case 'accept':
    case 'reject':
    case 'openRun':
      return keys === 'runId,type' && isId(m.runId);
    case 'rerunStep':
      return keys === 'runId,step,type' && isId(m.runId) && ['retrieval', 'planning', 'coding'].includes(m.step as string);
    case 'rerunFromPlan':
      return keys === 'plan,planIndex,runId,type' && isId(m.runId) && Number.isInteger(m.planIndex) && (m.planIndex as number) >= 0 &&
        (m.planIndex as number) < 1000 && typeof m.plan === 'string' && m.plan.trim() !== '' && m.plan.length <= MAX_PLAN_LENGTH;
    case 'openFile':
      return keys === 'file,type' && typeof m.file === 'string' && m.file !== '' && m.file.length <= 4096;
    default:
      return false;
  }
}

const TYPES = ['ready', 'solve', 'cancel', 'rerunFromPlan', 'rerunStep', 'accept', 'reject', 'openRun', 'openFile', 'done', 'toString', ''];

/** Objects that look like messages: a plausible type, plausible keys with arbitrary JSON (or plausible) values. */
const messageLike = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...TYPES), fc.jsonValue()),
    runId: fc.oneof(fc.string(), fc.jsonValue()),
    planIndex: fc.oneof(fc.integer({ min: -2, max: 1002 }), fc.double(), fc.jsonValue()),
    plan: fc.oneof(fc.string(), fc.jsonValue()),
    step: fc.oneof(fc.constantFrom('retrieval', 'planning', 'coding', 'debugging'), fc.jsonValue()),
    file: fc.oneof(fc.string(), fc.jsonValue()),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

const validMessage: fc.Arbitrary<FromWebview> = fc.oneof(
  fc.constantFrom<FromWebview>({ type: 'ready' }, { type: 'solve' }),
  fc.record({ type: fc.constantFrom('cancel' as const, 'accept' as const, 'reject' as const, 'openRun' as const), runId: fc.string({ minLength: 1, maxLength: MAX_ID_LENGTH }) }),
  fc.record({
    type: fc.constant('rerunFromPlan' as const), runId: fc.string({ minLength: 1, maxLength: 40 }), planIndex: fc.nat({ max: 999 }),
    plan: fc.string({ minLength: 1, maxLength: 500 }).filter((s) => s.trim() !== ''),
  }),
  fc.record({ type: fc.constant('rerunStep' as const), runId: fc.string({ minLength: 1, maxLength: 40 }), step: fc.constantFrom('retrieval' as const, 'planning' as const, 'coding' as const) }),
  fc.record({ type: fc.constant('openFile' as const), file: fc.string({ minLength: 1, maxLength: 300 }) }),
);

describe('extension: protocol validation (isFromWebview)', () => {
  it('accepts every kind of message the webview sends', () => {
    for (const m of VALID) assert.ok(isFromWebview(m), JSON.stringify(m));
    assert.ok(isFromWebview(JSON.parse(JSON.stringify(VALID[3]))), 'after structured cloning');
  });

  it('rejects malformed messages', () => {
    const bad: unknown[] = [
      undefined, null, 0, 'ready', [], [{ type: 'ready' }], {}, { type: 'Ready' }, { type: 'toString' }, { type: 'constructor' },
      { type: 'ready', extra: 1 }, { type: 'solve', runId: 'r1' },
      { type: 'cancel' }, { type: 'cancel', runId: '' }, { type: 'cancel', runId: 7 }, { type: 'cancel', runId: 'x'.repeat(MAX_ID_LENGTH + 1) },
      { type: 'rerunFromPlan', runId: 'r1', planIndex: -1, plan: 'p' }, { type: 'rerunFromPlan', runId: 'r1', planIndex: 1.5, plan: 'p' },
      { type: 'rerunFromPlan', runId: 'r1', planIndex: '1', plan: 'p' }, { type: 'rerunFromPlan', runId: 'r1', planIndex: NaN, plan: 'p' },
      { type: 'rerunFromPlan', runId: 'r1', planIndex: 0, plan: '  \n ' }, { type: 'rerunFromPlan', runId: 'r1', planIndex: 0 },
      { type: 'rerunFromPlan', runId: 'r1', planIndex: 0, plan: 'x'.repeat(MAX_PLAN_LENGTH + 1) },
      { type: 'rerunStep', runId: 'r1', step: 'debugging' }, { type: 'rerunStep', runId: 'r1' },
      { type: 'openFile', file: '' }, { type: 'openFile', file: ['a'] }, { type: 'openFile', runId: 'r1' },
      JSON.parse('{"type":"ready","__proto__":{"runId":"r1"}}'),
    ];
    for (const m of bad) assert.equal(isFromWebview(m), false, JSON.stringify(m));
  });

  it('property: arbitrary JSON never passes', () => {
    fc.assert(fc.property(fc.jsonValue(), (x) => isFromWebview(x) === wellFormed(x)), { numRuns: 2_000 });
  });

  it('property: message-like objects pass exactly when well-formed', () => {
    fc.assert(fc.property(messageLike, (x) => isFromWebview(x) === wellFormed(x)), { numRuns: 3_000 });
  });

  it('property: valid messages with one field changed, added or dropped pass exactly when still well-formed', () => {
    const mutated = fc.tuple(validMessage, fc.nat({ max: 3 }), fc.constantFrom('type', 'runId', 'planIndex', 'plan', 'step', 'file', 'x'), fc.jsonValue())
      .map(([m, how, key, value]) => {
        const x: Record<string, unknown> = { ...m };
        if (how === 1) x[key] = value;
        if (how === 2) delete x[key];
        if (how === 3) x[key] = (m as Record<string, unknown>)[key === 'x' ? 'type' : key];
        return x;
      });
    let passed = 0;
    fc.assert(fc.property(mutated, (x) => {
      const ok = isFromWebview(x);
      if (ok) passed++;
      return ok === wellFormed(x);
    }), { numRuns: 3_000 });
    assert.ok(passed > 300, `only ${passed} valid messages were generated`);
  });

  it('property: every well-formed message passes, and adding or dropping a key breaks it', () => {
    fc.assert(fc.property(validMessage, fc.string({ minLength: 1 }), (m, key) => {
      if (!isFromWebview(m)) return false;
      if (!Object.prototype.hasOwnProperty.call(m, key) && isFromWebview({ ...m, [key]: 1 })) return false;
      const keys = Object.keys(m).filter((k) => k !== 'type');
      return keys.every((k) => !isFromWebview(Object.fromEntries(Object.entries(m).filter(([kk]) => kk !== k))));
    }), { numRuns: 2_000 });
  });
});
