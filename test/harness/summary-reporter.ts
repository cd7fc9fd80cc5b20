// Mocha's dot reporter plus the line every test layer ends with: "N passed, N failed" alone on a line
// (tests a failed hook kept from running count as failed, as in the integration layer).
import Mocha from 'mocha';

const { Dot } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Dot {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const passed = runner.stats?.passes ?? 0;
      const failed = Math.max(runner.stats?.failures ?? 0, runner.total - passed - (runner.stats?.pending ?? 0));
      // After the dot reporter's own epilogue, which it writes on the same event.
      process.nextTick(() => console.log(`${passed} passed, ${failed} failed`));
    });
  }
}

export = SummaryReporter;
