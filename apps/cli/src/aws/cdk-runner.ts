import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../fail";
import type { CommandRunner } from "./run-command";

/** The repository root, where the workspaces (and the web build) live. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** The CDK app's folder (its `cdk.json` runs `src/app.ts`). */
const INFRA_DIR = join(REPO_ROOT, "infra");

export interface CdkInvocation {
  command: "deploy" | "destroy";
  stackName: string;
  /**
   * `keepData` context as `infra/src/app.ts` reads it; undefined leaves the app's default (keep).
   * Deploy only: `cdk destroy` deletes by the deployed template's policies, whatever the context.
   */
  keepData?: boolean;
  /** Deploy only: the `alarmEmail` context, the address the stack's alarm topic emails. */
  alarmEmail?: string;
  /** Where `cdk deploy` writes the stack outputs as JSON. */
  outputsFile?: string;
}

/**
 * The arguments of a non-interactive `cdk deploy` or `cdk destroy` of the Retouch stack.
 *
 * @example
 * ```ts
 * cdkArguments({ command: "deploy", stackName: "Retouch", keepData: false, outputsFile: "/tmp/o.json" });
 * // ["deploy", "Retouch", "--context", "stackName=Retouch", "--context", "keepData=false",
 * //  "--require-approval", "never", "--outputs-file", "/tmp/o.json", "--progress", "events"]
 * ```
 */
export function cdkArguments(invocation: CdkInvocation): string[] {
  const args = [invocation.command, invocation.stackName, "--context", `stackName=${invocation.stackName}`];
  if (invocation.command === "deploy") {
    if (invocation.keepData !== undefined) args.push("--context", `keepData=${invocation.keepData}`);
    if (invocation.alarmEmail) args.push("--context", `alarmEmail=${invocation.alarmEmail}`);
    // No prompt for IAM changes; events rather than the progress bar, which needs a TTY.
    args.push("--require-approval", "never");
    if (invocation.outputsFile) args.push("--outputs-file", invocation.outputsFile);
    args.push("--progress", "events");
  } else {
    args.push("--force");
  }
  return args;
}

/**
 * The environment of the `cdk` process: the chosen region for both the CLI and the app
 * (`CDK_DEFAULT_REGION` is set by the CLI from it), and no check for a newer CDK CLI: the
 * workspace pins its version.
 *
 * @example
 * ```ts
 * cdkEnvironment({ PATH: "/usr/bin" }, "us-west-2").AWS_REGION; // "us-west-2"
 * ```
 */
export function cdkEnvironment(base: NodeJS.ProcessEnv, region: string): NodeJS.ProcessEnv {
  return { ...base, AWS_REGION: region, AWS_DEFAULT_REGION: region, CDK_DISABLE_VERSION_CHECK: "1" };
}

/**
 * The `cdk` binary installed with the workspace (infra's devDependency `aws-cdk`, hoisted or not).
 *
 * @example
 * ```ts
 * cdkBinary(); // "/path/to/retouch/node_modules/.bin/cdk"
 * ```
 */
export function cdkBinary(): string {
  const candidates = [
    join(INFRA_DIR, "node_modules", ".bin", "cdk"),
    join(REPO_ROOT, "node_modules", ".bin", "cdk"),
  ];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new CliError("The AWS CDK CLI is not installed: run npm install at the repository root.");
  return found;
}

/**
 * Runs `cdk deploy`/`cdk destroy` in `infra/` with its output streaming; throws when it fails.
 *
 * @example
 * ```ts
 * await runCdk(runCommand, { command: "destroy", stackName: "Retouch" }, "us-west-2");
 * ```
 */
export async function runCdk(run: CommandRunner, invocation: CdkInvocation, region: string): Promise<void> {
  const code = await run(cdkBinary(), cdkArguments(invocation), {
    cwd: INFRA_DIR,
    env: cdkEnvironment(process.env, region),
  });
  if (code !== 0)
    throw new CliError(`cdk ${invocation.command} failed (exit code ${code}); see its output above.`);
}
