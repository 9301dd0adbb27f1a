import { DescribeStacksCommand, type CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { z } from "zod";
import { CliError } from "../fail";

/** The outputs `infra/src/retouch-stack.ts` declares that the CLI uses. */
const stackOutputsSchema = z.object({
  UserPoolId: z.string().min(1),
  UserPoolClientId: z.string().min(1),
  Region: z.string().min(1),
  InvokeUrl: z.url(),
  AmplifyAppId: z.string().min(1),
  AmplifyBranch: z.string().min(1),
  AppUrl: z.url(),
  ImagesBucket: z.string().min(1),
  TableName: z.string().min(1),
});

export type StackOutputs = z.infer<typeof stackOutputsSchema>;

export type CloudFormationSender = Pick<CloudFormationClient, "send">;

export interface StackDescription {
  status: string;
  statusReason?: string;
  /** Every output, by key, as CloudFormation reports it. */
  outputs: Record<string, string>;
}

/**
 * The stack's status and outputs, or `null` when no such stack exists (CloudFormation answers a
 * `ValidationError` "does not exist" for a missing stack rather than an empty list).
 *
 * @example
 * ```ts
 * const stack = await describeStack(new CloudFormationClient({ region: "us-west-2" }), "Retouch");
 * stack?.outputs.AppUrl; // "https://prod.d123.amplifyapp.com"
 * ```
 */
export async function describeStack(
  cloudFormation: CloudFormationSender,
  stackName: string,
): Promise<StackDescription | null> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks?.[0];
    if (!stack) return null;
    const outputs: Record<string, string> = {};
    for (const output of stack.Outputs ?? [])
      if (output.OutputKey && output.OutputValue !== undefined)
        outputs[output.OutputKey] = output.OutputValue;
    return {
      status: stack.StackStatus ?? "UNKNOWN",
      ...(stack.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}),
      outputs,
    };
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return null;
    throw error;
  }
}

/**
 * The outputs the CLI needs from the JSON `cdk deploy --outputs-file` writes
 * (`{"<stack>": {"<key>": "<value>"}}`), validated; throws a `CliError` naming what is missing.
 *
 * @example
 * ```ts
 * parseStackOutputs(await readFile("outputs.json", "utf8"), "Retouch").AmplifyAppId; // "d123"
 * ```
 */
export function parseStackOutputs(json: string, stackName: string): StackOutputs {
  const file = JSON.parse(json) as Record<string, unknown>;
  const parsed = stackOutputsSchema.safeParse(file[stackName]);
  if (!parsed.success) {
    const keys = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? stackName)))];
    throw new CliError(
      `The outputs of stack ${stackName} lack valid ${keys.join(", ")}; is infra up to date?`,
    );
  }
  return parsed.data;
}
