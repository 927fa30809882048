/**
 * Moves time for the walkthrough when it runs on a virtual clock (tests): the stack's VirtualScheduler
 * fits. On the real clock there is none, and waits just take their time.
 */
export interface ClockDriver {
  advance(ms: number): Promise<void>;
}

/**
 * A progress callback that moves the clock by `stepMs` once per waiter progress event, so each of the
 * waiter's reads (at most `stepMs` apart) is followed by the next one. Advances run one after another.
 */
export function advanceOnProgress(driver: ClockDriver | undefined, stepMs: number): () => void {
  let chain = Promise.resolve();
  return () => {
    if (!driver) return;
    chain = chain.then(() => driver.advance(stepMs));
  };
}
