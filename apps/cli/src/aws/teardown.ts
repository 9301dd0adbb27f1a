import { DeleteAppCommand } from "@aws-sdk/client-amplify";
import { CliError } from "../fail";
import type { AmplifySender } from "./amplify-deployment";
import {
  allowTableDeletion,
  allowUserPoolDeletion,
  deleteBucket,
  deleteTable,
  deleteUserPool,
  emptyBucket,
  type DynamoDbSender,
  type S3Sender,
} from "./data-removal";
import type { CognitoSender } from "./first-user";
import {
  deleteLogGroup,
  existingLogGroups,
  stackLogGroupNames,
  type CloudWatchLogsSender,
} from "./log-groups";
import { describeStack, type CloudFormationSender } from "./stack-outputs";
import { readStackResources, type DataResource } from "./stack-resources";

export interface TeardownClients {
  cloudFormation: CloudFormationSender;
  amplify: AmplifySender;
  s3: S3Sender;
  dynamodb: DynamoDbSender;
  cognito: CognitoSender;
  cloudWatchLogs: CloudWatchLogsSender;
}

export interface TeardownOptions {
  stackName: string;
  /**
   * Leave the buckets, the table and the user pool (and so images, edits and users) in place, and
   * any log group that outlived the stack (logs are not data, but whoever keeps the data may want
   * the record of its use).
   */
  keepData: boolean;
  /** Runs `cdk destroy` of the stack; throws when it fails. */
  destroyStack: () => Promise<void>;
  /** Progress lines. */
  log: (line: string) => void;
}

export interface TeardownReport {
  removed: string[];
  kept: string[];
  notes: string[];
}

function describe(resource: DataResource): string {
  const kind = {
    "AWS::S3::Bucket": "bucket",
    "AWS::DynamoDB::Table": "table",
    "AWS::Cognito::UserPool": "user pool",
  };
  return `${kind[resource.type]} ${resource.physicalId}`;
}

/**
 * Removes a Retouch deployment in a safe order: the Amplify app first (the editor stops being
 * served), then, unless data is kept, empties the buckets and lifts deletion protection on what
 * CloudFormation will delete, then `cdk destroy` (once more after emptying the buckets again if it
 * fails), then deletes what the stack retained (its `Retain` buckets, table and user pool) and the
 * log groups that outlived it (a late invocation re-creates a function's group). With
 * `keepData` it refuses to start when the deployed stack would delete data (deployed with
 * `keepData=false`).
 *
 * @example
 * ```ts
 * const report = await tearDown(clients, { stackName: "Retouch", keepData: false, destroyStack, log });
 * report.removed; // ["Amplify app d123", "stack Retouch (…)", "table ImageGenerationTable", …]
 * ```
 */
export async function tearDown(clients: TeardownClients, options: TeardownOptions): Promise<TeardownReport> {
  const { stackName, keepData, log } = options;
  const report: TeardownReport = { removed: [], kept: [], notes: [] };
  const stack = await describeStack(clients.cloudFormation, stackName);
  if (!stack) {
    report.notes.push(`Stack ${stackName} does not exist in this region: nothing to remove.`);
    return report;
  }
  const { data, all } = await readStackResources(clients.cloudFormation, stackName);
  // Named now: once the stack is gone, nothing says which log groups were its own.
  const logGroups = stackLogGroupNames(all);
  const deletedWithStack = data.filter((r) => r.deletionPolicy === "Delete");
  const retained = data.filter((r) => r.deletionPolicy === "Retain");
  if (keepData && deletedWithStack.length > 0) {
    throw new CliError(
      `--keep-data: the deployed stack would delete ${deletedWithStack.map(describe).join(", ")} ` +
        "(it was deployed with --no-keep-data). Run retouch aws deploy --keep-data first, then destroy.",
    );
  }

  const appId = stack.outputs.AmplifyAppId;
  if (appId) {
    log(`Deleting the Amplify app ${appId}…`);
    try {
      await clients.amplify.send(new DeleteAppCommand({ appId }));
      report.removed.push(`Amplify app ${appId} (the web editor)`);
    } catch (error) {
      if ((error as { name?: string }).name !== "NotFoundException") throw error;
    }
  }

  if (!keepData) {
    for (const resource of deletedWithStack) {
      log(`Preparing ${describe(resource)} for deletion…`);
      if (resource.type === "AWS::S3::Bucket") await emptyBucket(clients.s3, resource.physicalId);
      if (resource.type === "AWS::DynamoDB::Table")
        await allowTableDeletion(clients.dynamodb, resource.physicalId);
      if (resource.type === "AWS::Cognito::UserPool")
        await allowUserPoolDeletion(clients.cognito, resource.physicalId);
    }
  }

  log(`Destroying stack ${stackName} (cdk destroy)…`);
  const buckets = deletedWithStack.filter((r) => r.type === "AWS::S3::Bucket");
  try {
    await options.destroyStack();
  } catch (error) {
    // Access logs delivered late can refill a bucket after it was emptied, failing its deletion.
    if (buckets.length === 0) throw error;
    log("cdk destroy failed; emptying the buckets again and retrying once…");
    for (const bucket of buckets) await emptyBucket(clients.s3, bucket.physicalId);
    await options.destroyStack();
  }
  report.removed.push(
    `stack ${stackName}: API, functions, roles, queues, alarms, dashboard and log groups` +
      deletedWithStack.map((resource) => `, ${describe(resource)}`).join(""),
  );

  for (const resource of retained) {
    if (keepData) {
      report.kept.push(describe(resource));
      continue;
    }
    log(`Deleting retained ${describe(resource)}…`);
    const gone =
      resource.type === "AWS::S3::Bucket"
        ? await deleteBucket(clients.s3, resource.physicalId)
        : resource.type === "AWS::DynamoDB::Table"
          ? await deleteTable(clients.dynamodb, resource.physicalId)
          : await deleteUserPool(clients.cognito, resource.physicalId);
    if (gone) report.removed.push(describe(resource));
  }

  // Last, so that the groups a late invocation re-created during the deletions above go too.
  const leftover = await existingLogGroups(clients.cloudWatchLogs, logGroups);
  for (const name of leftover) {
    log(`Deleting log group ${name}…`);
    if (await deleteLogGroup(clients.cloudWatchLogs, name)) report.removed.push(`log group ${name}`);
  }
  return report;
}
