import { expect, it } from 'vitest';
import { realClock, virtualClock } from '../src/core/clock';

/** The clock's timers: what makes transitions happen whether or not anyone reads. */
it('a virtual clock fires due timers inside advance(), in time order, each at its own time', () => {
  const clock = virtualClock(1_000);
  const fired: string[] = [];
  const note = (name: string) => () => fired.push(`${name}@${clock.now()}`);
  clock.setTimer(3_000, note('c'));
  clock.setTimer(2_000, note('a'));
  clock.setTimer(2_000, note('b'));
  const cancel = clock.setTimer(2_500, note('cancelled'));
  // A timer set by a timer, for a moment inside the same advance, fires in it too.
  clock.setTimer(2_200, () => clock.setTimer(2_300, note('nested')));
  cancel();
  clock.advance(1_500);
  expect(fired).toEqual(['a@2000', 'b@2000', 'nested@2300']);
  expect(clock.now()).toBe(2_500);
  clock.advance(500);
  expect(fired.at(-1)).toBe('c@3000');
  clock.advance(10_000);
  expect(fired).toHaveLength(4);
});

it('a real clock fires its timer once the moment has come, and cancel stops it', async () => {
  const clock = realClock();
  const start = Date.now();
  let cancelledFired = false;
  clock.setTimer(start + 10, () => {
    cancelledFired = true;
  })();
  const firedAt = await new Promise<number>((resolve) =>
    clock.setTimer(start + 30, () => resolve(Date.now())),
  );
  expect(firedAt - start).toBeGreaterThanOrEqual(30);
  expect(cancelledFired).toBe(false);
});
