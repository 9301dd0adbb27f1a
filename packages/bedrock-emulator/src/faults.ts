/**
 * Faults the emulator injects into the requests it receives next, so tests can exercise the
 * error paths of a Bedrock client without a real account.
 *
 * @example
 * ```ts
 * emulator.faults.throttleNext(2); // the next two invocations answer 429 ThrottlingException
 * ```
 */
export interface EmulatorFaults {
  /** The next `count` invocations answer 429 `ThrottlingException`. */
  throttleNext(count?: number): void;
  /** The next `count` invocations answer 503 `ServiceUnavailableException`. */
  unavailableNext(count?: number): void;
  /** The next `count` invocations answer 429 `ModelNotReadyException` (a model still loading). */
  modelNotReadyNext(count?: number): void;
  /** The next `count` invocations answer 408 `ModelTimeoutException` (the model took too long). */
  modelTimeoutNext(count?: number): void;
  /** The next `count` invocations answer 403 `AccessDeniedException`. */
  denyAccessNext(count?: number): void;
  /** The next `count` invocations answer 400 `ValidationException` naming the content filters. */
  refuseInput(count?: number): void;
  /**
   * The next `count` invocations answer 200 with no image: Stability models with
   * `finish_reasons: ["Filter reason: output image"]`, Nova Canvas with an `error` message.
   */
  refuseOutput(count?: number): void;
  /**
   * The next `count` Stability invocations answer 200 with no image and
   * `finish_reasons: ["Inference error"]`: the model failed, nothing was filtered.
   */
  inferenceErrorNext(count?: number): void;
  /** Every invocation waits `ms` before answering (0 turns it off). */
  slow(ms: number): void;
  /** The next `count` invocations answer 200 with a body that is not JSON. */
  malformedNext(count?: number): void;
  /** Clears every pending fault. */
  reset(): void;
}

export type FaultKind =
  | "throttle"
  | "unavailable"
  | "modelNotReady"
  | "modelTimeout"
  | "denyAccess"
  | "refuseInput"
  | "refuseOutput"
  | "inferenceError"
  | "malformed";

/** The faults' state: counters consumed one invocation at a time. */
export class FaultState implements EmulatorFaults {
  private readonly pending = new Map<FaultKind, number>();
  delayMs = 0;

  throttleNext(count = 1): void {
    this.add("throttle", count);
  }
  unavailableNext(count = 1): void {
    this.add("unavailable", count);
  }
  modelNotReadyNext(count = 1): void {
    this.add("modelNotReady", count);
  }
  modelTimeoutNext(count = 1): void {
    this.add("modelTimeout", count);
  }
  denyAccessNext(count = 1): void {
    this.add("denyAccess", count);
  }
  refuseInput(count = 1): void {
    this.add("refuseInput", count);
  }
  refuseOutput(count = 1): void {
    this.add("refuseOutput", count);
  }
  inferenceErrorNext(count = 1): void {
    this.add("inferenceError", count);
  }
  slow(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }
  malformedNext(count = 1): void {
    this.add("malformed", count);
  }
  reset(): void {
    this.pending.clear();
    this.delayMs = 0;
  }

  /** Takes one pending fault of `kind`, if any. */
  take(kind: FaultKind): boolean {
    const left = this.pending.get(kind) ?? 0;
    if (left <= 0) return false;
    this.pending.set(kind, left - 1);
    return true;
  }

  private add(kind: FaultKind, count: number): void {
    this.pending.set(kind, (this.pending.get(kind) ?? 0) + Math.max(0, Math.floor(count)));
  }
}
