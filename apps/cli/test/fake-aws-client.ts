/** One SDK call a fake client received: the command's class name and its input. */
export interface RecordedCall {
  client: string;
  command: string;
  input: Record<string, unknown>;
}

type Handler = (input: Record<string, unknown>) => unknown;

/**
 * A stand-in for an AWS SDK v3 client: `send` records every command (into a log shared across
 * fakes, so tests can check the order across services) and answers with the handler named after
 * the command's class, or `{}`. A handler that throws makes `send` reject.
 *
 * @example
 * ```ts
 * const calls: RecordedCall[] = [];
 * const amplify = fakeClient<AmplifyClient>("amplify", calls, { GetJobCommand: () => ({ job: { summary: { status: "SUCCEED" } } }) });
 * ```
 */
export function fakeClient<T extends { send: unknown }>(
  client: string,
  calls: RecordedCall[],
  handlers: Record<string, Handler> = {},
): Pick<T, "send"> {
  const send = async (command: { input: Record<string, unknown> }) => {
    const name = command.constructor.name;
    calls.push({ client, command: name, input: command.input });
    return (handlers[name] ?? (() => ({})))(command.input);
  };
  return { send } as unknown as Pick<T, "send">;
}

/** An error shaped like the SDK's service exceptions (matched by `name`). */
export function awsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
