/**
 * A Lambda handler that builds the real one on its first invocation and reuses it after, so
 * importing an entry file (in a test, or while bundling) creates no client and reads no
 * environment. A build that throws (a variable missing) is tried again on the next invocation.
 *
 * @example
 * ```ts
 * export const handler = lazyHandler(() => createWorkerFromEnv(process.env));
 * ```
 */
export function lazyHandler<Event, Ctx, Result>(
  build: () => (event: Event, context: Ctx) => Promise<Result>,
): (event: Event, context: Ctx) => Promise<Result> {
  let built: ((event: Event, context: Ctx) => Promise<Result>) | undefined;
  return (event, context) => {
    built ??= build();
    return built(event, context);
  };
}
