import {
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  type CloudWatchLogsClient,
} from "@aws-sdk/client-cloudwatch-logs";
import type { StackResource } from "./stack-resources";

export type CloudWatchLogsSender = Pick<CloudWatchLogsClient, "send">;

/**
 * The log groups a stack's resources write to: its own `AWS::Logs::LogGroup`s (the functions'
 * `/aws/lambda/<name>` and the API's access logs) and the default group of each function, which
 * Lambda creates by itself should a function log without one.
 *
 * @example
 * ```ts
 * stackLogGroupNames(await listStackResources(cloudFormation, "Retouch"));
 * // ["/aws/lambda/ImageEditBackend", "Retouch-ApiAccessLogs1A2B-x9y8", …]
 * ```
 */
export function stackLogGroupNames(resources: StackResource[]): string[] {
  const names = resources.flatMap((r) =>
    r.type === "AWS::Logs::LogGroup"
      ? [r.physicalId]
      : r.type === "AWS::Lambda::Function"
        ? [`/aws/lambda/${r.physicalId}`]
        : [],
  );
  return [...new Set(names)];
}

/**
 * Of `names`, the log groups that exist. `DescribeLogGroups` filters by prefix only, so each name
 * is looked up as a prefix and matched exactly.
 *
 * @example
 * ```ts
 * await existingLogGroups(logs, ["/aws/lambda/ImageEditBackend"]); // [] once it is gone
 * ```
 */
export async function existingLogGroups(logs: CloudWatchLogsSender, names: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) {
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken }));
      if (page.logGroups?.some((group) => group.logGroupName === name)) found.push(name);
      nextToken = found.includes(name) ? undefined : page.nextToken;
    } while (nextToken);
  }
  return found;
}

/**
 * Deletes a log group; answers `false` when it was already gone (deleted meanwhile: fine).
 *
 * @example
 * ```ts
 * await deleteLogGroup(logs, "/aws/lambda/ImageEditWorker"); // true
 * ```
 */
export async function deleteLogGroup(logs: CloudWatchLogsSender, name: string): Promise<boolean> {
  try {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === "ResourceNotFoundException") return false;
    throw error;
  }
}
