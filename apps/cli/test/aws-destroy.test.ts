// The AWS clients are fakes that record each call (no local Amplify, CloudFormation or CloudWatch
// Logs server exists, so a client fake stands in), so these tests check what `retouch aws destroy`
// asks for and in which order, not AWS's behaviour.
import { Readable, Writable } from "node:stream";
import type { AmplifyClient } from "@aws-sdk/client-amplify";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { awsDestroy, type AwsDeps } from "../src/aws/aws-commands";
import { awsError, fakeClient, type RecordedCall } from "./fake-aws-client";

type Policy = "Retain" | "Delete";

const RESOURCES = [
  {
    LogicalResourceId: "DataImagesBucket1",
    ResourceType: "AWS::S3::Bucket",
    PhysicalResourceId: "retouch-images",
  },
  {
    LogicalResourceId: "DataAccessLogs2",
    ResourceType: "AWS::S3::Bucket",
    PhysicalResourceId: "retouch-logs",
  },
  {
    LogicalResourceId: "DataTable3",
    ResourceType: "AWS::DynamoDB::Table",
    PhysicalResourceId: "ImageGenerationTable",
  },
  {
    LogicalResourceId: "AuthPool4",
    ResourceType: "AWS::Cognito::UserPool",
    PhysicalResourceId: "us-west-2_Pool",
  },
  {
    LogicalResourceId: "ApiHandler5",
    ResourceType: "AWS::Lambda::Function",
    PhysicalResourceId: "ImageEditBackend",
  },
  {
    LogicalResourceId: "ApiHandlerLogs6",
    ResourceType: "AWS::Logs::LogGroup",
    PhysicalResourceId: "/aws/lambda/ImageEditBackend",
  },
  {
    LogicalResourceId: "ApiAccessLogs7",
    ResourceType: "AWS::Logs::LogGroup",
    PhysicalResourceId: "Retouch-ApiAccessLogs7-a1b2c3",
  },
];

/** The function's log group, re-created by a late invocation, outlives the stack; the API's does not. */
const LEFTOVER_LOG_GROUPS = ["/aws/lambda/ImageEditBackend", "/aws/lambda/ImageEditBackendOld"];

function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Deps for a deployed stack whose data resources carry `policy`, answering `typed` at the prompt. */
function world(options: {
  policy: Policy;
  typed?: string;
  stackExists?: boolean;
  cdkFailures?: number;
  /** Someone else deletes the log groups between DescribeLogGroups and DeleteLogGroup. */
  logGroupsVanish?: boolean;
}) {
  let cdkFailures = options.cdkFailures ?? 0;
  const calls: RecordedCall[] = [];
  const listed = new Set<string>();
  const cloudFormation = fakeClient<CloudFormationClient>("cloudformation", calls, {
    DescribeStacksCommand: () => {
      if (options.stackExists === false)
        throw awsError("ValidationError", "Stack with id Retouch does not exist");
      return {
        Stacks: [
          { StackStatus: "UPDATE_COMPLETE", Outputs: [{ OutputKey: "AmplifyAppId", OutputValue: "d1abc" }] },
        ],
      };
    },
    GetTemplateCommand: () => ({
      TemplateBody: JSON.stringify({
        Resources: Object.fromEntries(
          RESOURCES.map((r) => [
            r.LogicalResourceId,
            r.ResourceType === "AWS::Lambda::Function" ? {} : { DeletionPolicy: options.policy },
          ]),
        ),
      }),
    }),
    ListStackResourcesCommand: () => ({ StackResourceSummaries: RESOURCES }),
  });
  const s3 = fakeClient<S3Client>("s3", calls, {
    // Each bucket holds one object until it is first listed.
    ListObjectVersionsCommand: (input) => {
      const bucket = String(input.Bucket);
      if (listed.has(bucket)) return {};
      listed.add(bucket);
      return { Versions: [{ Key: "users/u1/source/i1", VersionId: "null" }] };
    },
  });
  const dynamodb = fakeClient<DynamoDBClient>("dynamodb", calls, {
    DescribeTableCommand: () => ({ Table: { DeletionProtectionEnabled: true } }),
  });
  const cognito = fakeClient<CognitoIdentityProviderClient>("cognito", calls, {
    DescribeUserPoolCommand: () => ({ UserPool: { DeletionProtection: "ACTIVE" } }),
  });
  const amplify = fakeClient<AmplifyClient>("amplify", calls);
  const cloudWatchLogs = fakeClient<CloudWatchLogsClient>("logs", calls, {
    DescribeLogGroupsCommand: (input) => ({
      logGroups: LEFTOVER_LOG_GROUPS.filter((name) => name.startsWith(String(input.logGroupNamePrefix))).map(
        (logGroupName) => ({ logGroupName }),
      ),
    }),
    DeleteLogGroupCommand: () => {
      if (options.logGroupsVanish)
        throw awsError("ResourceNotFoundException", "The specified log group does not exist.");
      return {};
    },
  });
  const stdout = sink();
  const stderr = sink();
  const deps: AwsDeps = {
    clients: () => ({
      cloudFormation,
      amplify,
      s3,
      dynamodb,
      cognito,
      cloudWatch: fakeClient<CloudWatchClient>("cloudwatch", calls),
      cloudWatchLogs,
      region: async () => "us-west-2",
      credentials: async () => ({ accessKeyId: "test" }),
    }),
    run: async (command, args, runOptions) => {
      calls.push({
        client: "cdk",
        command: args.join(" "),
        input: { command, region: runOptions.env?.AWS_REGION },
      });
      return cdkFailures-- > 0 ? 1 : 0;
    },
    buildWeb: async () => {
      throw new Error("destroy builds nothing");
    },
    stdin: Readable.from(options.typed === undefined ? [] : [`${options.typed}\n`]),
    stdout: stdout.stream,
    stderr: stderr.stream,
  };
  const sequence = () =>
    calls.map((c) => {
      const target = c.input.Bucket ?? c.input.logGroupNamePrefix ?? c.input.logGroupName;
      return `${c.client}:${c.command}${target ? ` ${String(target)}` : ""}`;
    });
  return { deps, calls, sequence, stdout, stderr };
}

describe("retouch aws destroy", () => {
  it("after the stack name is typed, deletes the Amplify app, then the stack, then the data it retained", async () => {
    // Prepare
    const { deps, calls, sequence, stdout, stderr } = world({ policy: "Retain", typed: "Retouch" });

    // Act
    const report = await awsDestroy({ region: "us-west-2" }, deps);

    // Assess
    expect(stderr.text()).toContain("Type the stack name (Retouch) to delete it:");
    expect(sequence()).toEqual([
      "cloudformation:DescribeStacksCommand",
      "cloudformation:GetTemplateCommand",
      "cloudformation:ListStackResourcesCommand",
      "amplify:DeleteAppCommand",
      "cdk:destroy Retouch --context stackName=Retouch --force",
      "s3:PutBucketLoggingCommand retouch-images",
      "s3:ListObjectVersionsCommand retouch-images",
      "s3:DeleteObjectsCommand retouch-images",
      "s3:DeleteBucketCommand retouch-images",
      "s3:PutBucketLoggingCommand retouch-logs",
      "s3:ListObjectVersionsCommand retouch-logs",
      "s3:DeleteObjectsCommand retouch-logs",
      "s3:DeleteBucketCommand retouch-logs",
      "dynamodb:DescribeTableCommand",
      "dynamodb:UpdateTableCommand",
      "dynamodb:DeleteTableCommand",
      "cognito:DescribeUserPoolCommand",
      "cognito:UpdateUserPoolCommand",
      "cognito:DeleteUserPoolCommand",
      "logs:DescribeLogGroupsCommand /aws/lambda/ImageEditBackend",
      "logs:DescribeLogGroupsCommand Retouch-ApiAccessLogs7-a1b2c3",
      "logs:DeleteLogGroupCommand /aws/lambda/ImageEditBackend",
    ]);
    expect(calls.find((c) => c.client === "cdk")!.input.region).toBe("us-west-2");
    expect(calls.find((c) => c.command === "UpdateTableCommand")!.input).toEqual({
      TableName: "ImageGenerationTable",
      DeletionProtectionEnabled: false,
    });
    expect(calls.find((c) => c.command === "UpdateUserPoolCommand")!.input).toEqual({
      UserPoolId: "us-west-2_Pool",
      DeletionProtection: "INACTIVE",
    });
    expect(report.kept).toEqual([]);
    expect(report.removed).toEqual([
      "Amplify app d1abc (the web editor)",
      "stack Retouch: API, functions, roles, queues, alarms, dashboard and log groups",
      "bucket retouch-images",
      "bucket retouch-logs",
      "table ImageGenerationTable",
      "user pool us-west-2_Pool",
      "log group /aws/lambda/ImageEditBackend",
    ]);
    expect(stdout.text()).toMatch(/^removed {2}Amplify app d1abc/m);
    expect(stdout.text()).toMatch(/^removed {2}log group \/aws\/lambda\/ImageEditBackend$/m);
    expect(stdout.text()).not.toContain("aws logs delete-log-group");
  });

  it("empties the buckets and lifts deletion protection before cdk destroy when the stack deletes its data", async () => {
    // Prepare
    const { deps, sequence } = world({ policy: "Delete" });

    // Act
    const report = await awsDestroy({ yes: true }, deps);

    // Assess
    const steps = sequence();
    const cdkAt = steps.findIndex((s) => s.startsWith("cdk:"));
    expect(steps.slice(3, cdkAt)).toEqual([
      "amplify:DeleteAppCommand",
      "s3:PutBucketLoggingCommand retouch-images",
      "s3:ListObjectVersionsCommand retouch-images",
      "s3:DeleteObjectsCommand retouch-images",
      "s3:PutBucketLoggingCommand retouch-logs",
      "s3:ListObjectVersionsCommand retouch-logs",
      "s3:DeleteObjectsCommand retouch-logs",
      "dynamodb:DescribeTableCommand",
      "dynamodb:UpdateTableCommand",
      "cognito:DescribeUserPoolCommand",
      "cognito:UpdateUserPoolCommand",
    ]);
    expect(steps.slice(cdkAt + 1)).toEqual([
      "logs:DescribeLogGroupsCommand /aws/lambda/ImageEditBackend",
      "logs:DescribeLogGroupsCommand Retouch-ApiAccessLogs7-a1b2c3",
      "logs:DeleteLogGroupCommand /aws/lambda/ImageEditBackend",
    ]);
    expect(report.removed[1]).toBe(
      "stack Retouch: API, functions, roles, queues, alarms, dashboard and log groups, bucket retouch-images, " +
        "bucket retouch-logs, table ImageGenerationTable, user pool us-west-2_Pool",
    );
  });

  it("empties the buckets again and retries cdk destroy once when it fails, then gives up", async () => {
    // Prepare
    const once = world({ policy: "Delete", cdkFailures: 1 });
    const twice = world({ policy: "Delete", cdkFailures: 2 });

    // Act
    await awsDestroy({ yes: true }, once.deps);
    const failing = awsDestroy({ yes: true }, twice.deps);

    // Assess
    const steps = once.sequence().filter((s) => !s.startsWith("logs:"));
    const firstCdk = steps.findIndex((s) => s.startsWith("cdk:"));
    expect(steps.slice(firstCdk)).toEqual([
      "cdk:destroy Retouch --context stackName=Retouch --force",
      "s3:PutBucketLoggingCommand retouch-images",
      "s3:ListObjectVersionsCommand retouch-images",
      "s3:PutBucketLoggingCommand retouch-logs",
      "s3:ListObjectVersionsCommand retouch-logs",
      "cdk:destroy Retouch --context stackName=Retouch --force",
    ]);
    await expect(failing).rejects.toThrow("cdk destroy failed (exit code 1)");
    expect(twice.sequence().filter((s) => s.startsWith("cdk:"))).toHaveLength(2);
  });

  it("with --keep-data leaves the retained buckets, table and user pool, lists them as kept, and still deletes leftover log groups", async () => {
    // Prepare
    const { deps, sequence } = world({ policy: "Retain" });

    // Act
    const report = await awsDestroy({ keepData: true, yes: true }, deps);

    // Assess
    expect(sequence()).toEqual([
      "cloudformation:DescribeStacksCommand",
      "cloudformation:GetTemplateCommand",
      "cloudformation:ListStackResourcesCommand",
      "amplify:DeleteAppCommand",
      "cdk:destroy Retouch --context stackName=Retouch --force",
      "logs:DescribeLogGroupsCommand /aws/lambda/ImageEditBackend",
      "logs:DescribeLogGroupsCommand Retouch-ApiAccessLogs7-a1b2c3",
      "logs:DeleteLogGroupCommand /aws/lambda/ImageEditBackend",
    ]);
    expect(report.kept).toEqual([
      "bucket retouch-images",
      "bucket retouch-logs",
      "table ImageGenerationTable",
      "user pool us-west-2_Pool",
    ]);
    expect(report.removed).toContain("log group /aws/lambda/ImageEditBackend");
  });

  it("tolerates a log group deleted meanwhile (ResourceNotFoundException) and does not report it removed", async () => {
    // Prepare
    const { deps, sequence } = world({ policy: "Delete", logGroupsVanish: true });

    // Act
    const report = await awsDestroy({ yes: true }, deps);

    // Assess
    expect(sequence().at(-1)).toBe("logs:DeleteLogGroupCommand /aws/lambda/ImageEditBackend");
    expect(report.removed.some((item) => item.startsWith("log group"))).toBe(false);
  });

  it("with --keep-data refuses, before deleting anything, when the stack would delete the data", async () => {
    // Prepare
    const { deps, sequence } = world({ policy: "Delete" });

    // Act
    const destroying = awsDestroy({ keepData: true, yes: true }, deps);

    // Assess
    await expect(destroying).rejects.toThrow(
      /--keep-data: the deployed stack would delete bucket retouch-images/,
    );
    expect(sequence()).toEqual([
      "cloudformation:DescribeStacksCommand",
      "cloudformation:GetTemplateCommand",
      "cloudformation:ListStackResourcesCommand",
    ]);
  });

  it("deletes nothing when the typed name does not match, or the input ends", async () => {
    // Prepare
    const typo = world({ policy: "Retain", typed: "retouch" });
    const closed = world({ policy: "Retain" });

    // Act
    const results = await Promise.allSettled([awsDestroy({}, typo.deps), awsDestroy({}, closed.deps)]);

    // Assess
    for (const result of results) {
      expect(result.status).toBe("rejected");
      expect(String((result as PromiseRejectedResult).reason)).toMatch(/Nothing was deleted/);
    }
    expect(typo.calls).toEqual([]);
    expect(closed.calls).toEqual([]);
  });

  it("says there is nothing to remove when the stack does not exist", async () => {
    // Prepare
    const { deps, sequence, stdout } = world({ policy: "Retain", stackExists: false });

    // Act
    await awsDestroy({ yes: true }, deps);

    // Assess
    expect(sequence()).toEqual(["cloudformation:DescribeStacksCommand"]);
    expect(stdout.text()).toContain("Stack Retouch does not exist in this region: nothing to remove.");
  });
});
