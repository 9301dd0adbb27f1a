// The AWS clients are fakes that record each call: no local CloudFormation, Amplify or CloudWatch
// server exists, so a CloudWatch client fake answers DescribeAlarms with the states a test needs.
import { Readable, Writable } from "node:stream";
import type { AmplifyClient } from "@aws-sdk/client-amplify";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { awsStatus, type AwsDeps } from "../src/aws/aws-commands";
import { awsError, fakeClient, type RecordedCall } from "./fake-aws-client";

const API_ALARM = "Retouch-MonitoringApi5xxAlarm6F1B2C3D-1AB2C3D4E5F6";
const WORKER_ALARM = "Retouch-MonitoringWorkerErrorsAlarm9A8B7C6D-7F8E9D0C1B2A";
const DLQ_ALARM = "Retouch-MonitoringDeadLetterQueueAlarm1A2B3C4D-3C4D5E6F7A8B";

function world(stack: "deployed" | "missing", options: { stdoutIsTTY?: boolean } = {}) {
  const calls: RecordedCall[] = [];
  let text = "";
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  if (options.stdoutIsTTY) Object.assign(stdout, { isTTY: true });
  const deps: AwsDeps = {
    clients: () => ({
      cloudFormation: fakeClient<CloudFormationClient>("cloudformation", calls, {
        DescribeStacksCommand: () => {
          if (stack === "missing") throw awsError("ValidationError", "Stack with id Retouch does not exist");
          return {
            Stacks: [
              {
                StackStatus: "UPDATE_COMPLETE",
                Outputs: [
                  { OutputKey: "AppUrl", OutputValue: "https://prod.d1abc.amplifyapp.com" },
                  { OutputKey: "AmplifyAppId", OutputValue: "d1abc" },
                  { OutputKey: "AmplifyBranch", OutputValue: "prod" },
                ],
              },
            ],
          };
        },
        ListStackResourcesCommand: () => ({
          StackResourceSummaries: [
            {
              LogicalResourceId: "MonitoringApi5xxAlarm6F1B2C3D",
              ResourceType: "AWS::CloudWatch::Alarm",
              PhysicalResourceId: API_ALARM,
            },
            {
              LogicalResourceId: "MonitoringWorkerErrorsAlarm9A8B7C6D",
              ResourceType: "AWS::CloudWatch::Alarm",
              PhysicalResourceId: WORKER_ALARM,
            },
            {
              LogicalResourceId: "MonitoringDeadLetterQueueAlarm1A2B3C4D",
              ResourceType: "AWS::CloudWatch::Alarm",
              PhysicalResourceId: DLQ_ALARM,
            },
            {
              LogicalResourceId: "ApiHandler5",
              ResourceType: "AWS::Lambda::Function",
              PhysicalResourceId: "ImageEditBackend",
            },
          ],
        }),
      }),
      cloudWatch: fakeClient<CloudWatchClient>("cloudwatch", calls, {
        DescribeAlarmsCommand: () => ({
          MetricAlarms: [
            {
              AlarmName: API_ALARM,
              StateValue: "OK",
              StateUpdatedTimestamp: new Date("2026-11-24T09:00:00Z"),
            },
            {
              AlarmName: WORKER_ALARM,
              StateValue: "ALARM",
              StateReason: "Threshold Crossed: 1 datapoint [3.0] was >= the threshold (1.0).",
              StateUpdatedTimestamp: new Date("2026-11-25T11:55:00Z"),
            },
            { AlarmName: DLQ_ALARM, StateValue: "INSUFFICIENT_DATA" },
          ],
        }),
      }),
      cloudWatchLogs: fakeClient<CloudWatchLogsClient>("logs", calls),
      amplify: fakeClient<AmplifyClient>("amplify", calls, {
        ListJobsCommand: () => ({
          jobSummaries: [
            {
              jobId: "4",
              status: "SUCCEED",
              startTime: new Date("2026-11-25T10:00:00Z"),
              endTime: new Date("2026-11-25T10:01:00Z"),
            },
          ],
        }),
      }),
      cognito: fakeClient<CognitoIdentityProviderClient>("cognito", calls),
      s3: fakeClient<S3Client>("s3", calls),
      dynamodb: fakeClient<DynamoDBClient>("dynamodb", calls),
      region: async () => "us-west-2",
      credentials: async () => ({ accessKeyId: "test" }),
    }),
    run: async () => 0,
    buildWeb: async () => "",
    stdin: Readable.from([]),
    stdout,
    stderr: stdout,
  };
  return { deps, calls, text: () => text };
}

describe("retouch aws status", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("prints the stack status, app URL, last web deployment, outputs and the stack's alarms as a table", async () => {
    // Prepare
    const { deps, calls, text } = world("deployed");

    // Act
    await awsStatus({}, deps);

    // Assess
    expect(calls.map((c) => c.command)).toEqual([
      "DescribeStacksCommand",
      "ListJobsCommand",
      "ListStackResourcesCommand",
      "DescribeAlarmsCommand",
    ]);
    expect(calls[1]!.input).toEqual({ appId: "d1abc", branchName: "prod", maxResults: 1 });
    // Only the stack's own alarms, by name: a prefix would catch another stack's.
    expect(calls[3]!.input).toMatchObject({ AlarmNames: [API_ALARM, WORKER_ALARM, DLQ_ALARM] });
    expect(text().split("\n")).toEqual([
      "stack                Retouch (us-west-2)",
      "status               UPDATE_COMPLETE",
      "app                  https://prod.d1abc.amplifyapp.com",
      "last web deployment  SUCCEED (job 4, 2026-11-25T10:01:00.000Z)",
      "AmplifyAppId         d1abc",
      "AmplifyBranch        prod",
      "alarms               https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#dashboards/dashboard/Retouch",
      `! ALARM              ${WORKER_ALARM}`,
      `  INSUFFICIENT_DATA  ${DLQ_ALARM}`,
      `  OK                 ${API_ALARM}`,
      "",
    ]);
    expect(text()).not.toContain("\u001b[");
  });

  it("highlights an alarm in ALARM in bold red when the output is a terminal", async () => {
    // Prepare
    const { deps, text } = world("deployed", { stdoutIsTTY: true });
    vi.stubEnv("NO_COLOR", "");

    // Act
    await awsStatus({}, deps);

    // Assess
    const lines = text().split("\n");
    expect(lines).toContain(`\u001b[1;31m! ALARM              ${WORKER_ALARM}\u001b[0m`);
    expect(lines).toContain(`  OK                 ${API_ALARM}`);
  });

  it("lists the alarms with their states and reasons in --json", async () => {
    // Prepare
    const { deps, text } = world("deployed");

    // Act
    await awsStatus({ json: true }, deps);

    // Assess
    const status = JSON.parse(text()) as Record<string, unknown>;
    expect(status.alarms).toEqual([
      {
        name: WORKER_ALARM,
        state: "ALARM",
        reason: "Threshold Crossed: 1 datapoint [3.0] was >= the threshold (1.0).",
        since: "2026-11-25T11:55:00.000Z",
      },
      { name: DLQ_ALARM, state: "INSUFFICIENT_DATA" },
      { name: API_ALARM, state: "OK", since: "2026-11-24T09:00:00.000Z" },
    ]);
    expect(status.dashboardUrl).toBe(
      "https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#dashboards/dashboard/Retouch",
    );
  });

  it("answers JSON with --json, and NOT_DEPLOYED for a missing stack", async () => {
    // Prepare
    const { deps, calls, text } = world("missing");

    // Act
    await awsStatus({ json: true }, deps);

    // Assess
    expect(JSON.parse(text())).toMatchObject({
      stackName: "Retouch",
      region: "us-west-2",
      stackStatus: "NOT_DEPLOYED",
      outputs: {},
      alarms: [],
    });
    expect(calls.map((c) => c.command)).toEqual(["DescribeStacksCommand"]);
  });
});
