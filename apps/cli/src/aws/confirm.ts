import { createInterface } from "node:readline";

/** One line of input, or `null` when the input ends first. */
async function ask(
  prompt: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<string | null> {
  const rl = createInterface({ input, terminal: false });
  output.write(prompt);
  try {
    // 'line' rather than rl.question: piped input can end in the same tick as its last line, and
    // 'close' must not win over the answer.
    return await new Promise<string | null>((resolve) => {
      rl.once("line", resolve);
      rl.once("close", () => resolve(null));
    });
  } finally {
    rl.close();
  }
}

/**
 * Asks the user to type the stack's name to go on; anything else (or end of input) declines.
 *
 * @example
 * ```ts
 * if (!(await confirmByName("Retouch", process.stdin, process.stderr))) process.exit(1);
 * ```
 */
export async function confirmByName(
  name: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<boolean> {
  const answer = await ask(`Type the stack name (${name}) to delete it: `, input, output);
  return answer?.trim() === name;
}

/**
 * Asks a yes/no question; only "y" or "yes" agrees.
 *
 * @example
 * ```ts
 * await confirmYes("Deploy to us-west-2?", process.stdin, process.stderr); // true after "y"
 * ```
 */
export async function confirmYes(
  question: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<boolean> {
  const answer = await ask(`${question} [y/N] `, input, output);
  return /^y(es)?$/i.test(answer?.trim() ?? "");
}
