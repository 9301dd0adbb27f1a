import type { MessagePort } from "node:worker_threads";
import { BANDS, runBandTask, type BandTask, type LevelState } from "./band-tasks";
import type { BandExecutor } from "./patch-match-fill";

/** Levels with fewer targets than this run on the coordinator alone. */
const SMALL_LEVEL_TARGETS = 20_000;

type BandMessage = { type: "level"; state: LevelState } | { type: "task"; task: BandTask; bands: number[] };

/** Thread t of n takes bands t, t + n, …: bands hold about equal work, so this balances. */
function bandsOf(thread: number, threads: number): number[] {
  const bands: number[] = [];
  for (let band = thread; band < BANDS; band += threads) bands.push(band);
  return bands;
}

/**
 * Runs bands on the calling thread and on helper threads (one `MessagePort` each, served by
 * `serveBands`), blocking until all are done. Level arrays are shared memory, so a message
 * carries only views. Must run off the main thread (it waits with `Atomics.wait`).
 *
 * @example
 * ```ts
 * const filled = patchMatchFill(input, hooks, parallelBands(helperPorts, finished));
 * ```
 */
export function parallelBands(helpers: MessagePort[], finished: Int32Array): BandExecutor {
  const threads = helpers.length + 1;
  let current: LevelState | null = null;
  return {
    setLevel(state) {
      current = state;
      for (const port of helpers) port.postMessage({ type: "level", state } satisfies BandMessage);
    },
    runAll(task) {
      if (current!.targets.length < SMALL_LEVEL_TARGETS) {
        // Handing out a small level's bands costs more than running them.
        for (let band = 0; band < BANDS; band++) runBandTask(current!, task, band);
        return;
      }
      Atomics.store(finished, 0, 0);
      helpers.forEach((port, i) =>
        port.postMessage({ type: "task", task, bands: bandsOf(i + 1, threads) } satisfies BandMessage),
      );
      for (const band of bandsOf(0, threads)) runBandTask(current!, task, band);
      for (let count = Atomics.load(finished, 0); count < helpers.length; count = Atomics.load(finished, 0)) {
        Atomics.wait(finished, 0, count);
      }
    },
  };
}

/**
 * A helper thread's side of `parallelBands`: runs the bands it is sent and counts itself done.
 *
 * @example
 * ```ts
 * serveBands(workerData.port, workerData.finished);
 * ```
 */
export function serveBands(port: MessagePort, finished: Int32Array): void {
  let state: LevelState | null = null;
  port.on("message", (message: BandMessage) => {
    if (message.type === "level") {
      state = message.state;
      return;
    }
    for (const band of message.bands) runBandTask(state!, message.task, band);
    Atomics.add(finished, 0, 1);
    Atomics.notify(finished, 0);
  });
}
