import { spawn } from "node:child_process";

export interface RunCommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs a program and resolves with its exit code. */
export type CommandRunner = (command: string, args: string[], options: RunCommandOptions) => Promise<number>;

/**
 * Runs a program with the terminal's stdin/stdout/stderr, so its progress streams as it happens,
 * and resolves with its exit code (1 when it was killed by a signal).
 *
 * @example
 * ```ts
 * const code = await runCommand("npm", ["run", "build", "-w", "@retouch/web"], { cwd: REPO_ROOT });
 * ```
 */
export const runCommand: CommandRunner = (command, args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      // Its output goes to our stderr: stdout stays for the command's own result lines.
      stdio: ["inherit", process.stderr, "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve(code ?? 1));
  });
