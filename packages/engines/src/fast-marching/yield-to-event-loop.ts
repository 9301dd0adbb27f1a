/**
 * Lets whatever else waits on the event loop (HTTP requests, timers) run, then throws the
 * signal's reason if the work was aborted meanwhile. Long CPU work calls it between chunks.
 */
export async function yieldToEventLoop(signal: AbortSignal): Promise<void> {
  await new Promise(setImmediate);
  signal.throwIfAborted();
}
