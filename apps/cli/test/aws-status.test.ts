// The AWS clients are fakes that record each call: no local CloudFormation or Amplify exists.
import { Readable, Writable } from "node:stream";
import type { AmplifyClient } from "@aws-sdk/client-amplify";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { awsStatus, type AwsDeps } from "../src/aws/aws-commands";
import { awsError, fakeClient, type RecordedCall } from "./fake-aws-client";

function world(stack: "deployed" | "missing") {
  const calls: RecordedCall[] = [];
  let text = "";
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
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
      }),
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
  it("prints the stack status, app URL, last web deployment and outputs as a table", async () => {
    // Prepare
    const { deps, calls, text } = world("deployed");

    // Act
    await awsStatus({}, deps);

    // Assess
    expect(calls.map((c) => c.command)).toEqual(["DescribeStacksCommand", "ListJobsCommand"]);
    expect(calls[1]!.input).toEqual({ appId: "d1abc", branchName: "prod", maxResults: 1 });
    expect(text().split("\n")).toEqual([
      "stack                Retouch (us-west-2)",
      "status               UPDATE_COMPLETE",
      "app                  https://prod.d1abc.amplifyapp.com",
      "last web deployment  SUCCEED (job 4, 2026-11-25T10:01:00.000Z)",
      "AmplifyAppId         d1abc",
      "AmplifyBranch        prod",
      "alarms               https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#dashboards/dashboard/Retouch",
      "",
    ]);
  });

  it("answers JSON with --json, and NOT_DEPLOYED for a missing stack", async () => {
    // Prepare
    const { deps, text } = world("missing");

    // Act
    await awsStatus({ json: true }, deps);

    // Assess
    expect(JSON.parse(text())).toMatchObject({
      stackName: "Retouch",
      region: "us-west-2",
      stackStatus: "NOT_DEPLOYED",
      outputs: {},
    });
  });
});
