// The AWS clients and the cdk process are fakes (no local CloudFormation or Amplify exists); the
// web build's zip really goes over HTTP to a server this test starts in place of Amplify's upload URL.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import type { AmplifyClient } from "@aws-sdk/client-amplify";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsDeploy, type AwsDeps } from "../src/aws/aws-commands";
import { awsError, fakeClient, type RecordedCall } from "./fake-aws-client";

const OUTPUTS = {
  UserPoolId: "us-west-2_Pool",
  UserPoolClientId: "client1",
  Region: "us-west-2",
  InvokeUrl: "https://api1.execute-api.us-west-2.amazonaws.com/prod/",
  AmplifyAppId: "d1abc",
  AmplifyBranch: "prod",
  AmplifyDefaultDomain: "d1abc.amplifyapp.com",
  AppUrl: "https://prod.d1abc.amplifyapp.com",
  ImagesBucket: "retouch-images",
  TableName: "ImageGenerationTable",
  QueueUrl: "https://sqs.us-west-2.amazonaws.com/1/q",
};

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

describe("retouch aws deploy", () => {
  let server: Server;
  let uploadUrl: string;
  let dist: string;
  let uploaded: Buffer | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        uploaded = Buffer.concat(chunks);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    uploadUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zip`;
    dist = await mkdtemp(join(tmpdir(), "retouch-deploy-dist-"));
    await writeFile(join(dist, "index.html"), "<!doctype html>");
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dist, { recursive: true, force: true });
  });

  function world(options: {
    bootstrap?: string | null;
    userExists?: boolean;
    typed?: string;
    region?: string | null;
  }) {
    const calls: RecordedCall[] = [];
    const cloudFormation = fakeClient<CloudFormationClient>("cloudformation", calls, {
      DescribeStacksCommand: () => {
        if (options.bootstrap === null)
          throw awsError("ValidationError", "Stack with id CDKToolkit does not exist");
        return { Stacks: [{ StackStatus: options.bootstrap ?? "UPDATE_COMPLETE" }] };
      },
    });
    const amplify = fakeClient<AmplifyClient>("amplify", calls, {
      CreateDeploymentCommand: () => ({ jobId: "1", zipUploadUrl: uploadUrl }),
      GetJobCommand: () => ({ job: { summary: { status: "SUCCEED" } } }),
    });
    const cognito = fakeClient<CognitoIdentityProviderClient>("cognito", calls, {
      DescribeUserPoolCommand: () => ({ UserPool: { Policies: { PasswordPolicy: { MinimumLength: 8 } } } }),
      AdminCreateUserCommand: () => {
        if (options.userExists) throw awsError("UsernameExistsException", "User account already exists");
        return {};
      },
    });
    const stdout = sink();
    const stderr = sink();
    const deps: AwsDeps = {
      clients: () => ({
        cloudFormation,
        amplify,
        cognito,
        s3: fakeClient<S3Client>("s3", calls),
        dynamodb: fakeClient<DynamoDBClient>("dynamodb", calls),
        cloudWatch: fakeClient<CloudWatchClient>("cloudwatch", calls),
        cloudWatchLogs: fakeClient<CloudWatchLogsClient>("logs", calls),
        region: async () => {
          if (options.region === null) throw new Error("Region is missing");
          return options.region ?? "us-west-2";
        },
        credentials: async () => ({ accessKeyId: "test" }),
      }),
      run: async (_command, args) => {
        calls.push({ client: "cdk", command: args.join(" "), input: {} });
        const outputsFile = args[args.indexOf("--outputs-file") + 1]!;
        await writeFile(outputsFile, JSON.stringify({ Retouch: OUTPUTS }));
        return 0;
      },
      buildWeb: async () => {
        calls.push({ client: "npm", command: "build web", input: {} });
        return dist;
      },
      stdin: Readable.from(options.typed === undefined ? [] : [`${options.typed}\n`]),
      stdout: stdout.stream,
      stderr: stderr.stream,
    };
    return { deps, calls, stdout, stderr };
  }

  it("builds the editor, deploys the stack, publishes the editor with its config.js and prints the first user's password", async () => {
    // Prepare
    const { deps, calls, stdout } = world({ typed: "y" });
    uploaded = undefined;

    // Act
    await awsDeploy({ region: "us-west-2", adminEmail: "owner@example.com", keepData: false }, deps);

    // Assess
    expect(calls.map((c) => `${c.client}:${c.command}`)).toEqual([
      "cloudformation:DescribeStacksCommand",
      "npm:build web",
      expect.stringMatching(
        /^cdk:deploy Retouch --context stackName=Retouch --context keepData=false --context alarmEmail=owner@example\.com --require-approval never --outputs-file \S+outputs\.json --progress events$/,
      ),
      "amplify:CreateDeploymentCommand",
      "amplify:StartDeploymentCommand",
      "amplify:GetJobCommand",
      "cognito:DescribeUserPoolCommand",
      "cognito:AdminCreateUserCommand",
    ]);
    expect(calls[0]!.input).toEqual({ StackName: "CDKToolkit" });
    expect(calls.find((c) => c.command === "CreateDeploymentCommand")!.input).toEqual({
      appId: "d1abc",
      branchName: "prod",
    });
    const created = calls.find((c) => c.command === "AdminCreateUserCommand")!.input;
    expect(created).toMatchObject({
      UserPoolId: "us-west-2_Pool",
      Username: "admin",
      DesiredDeliveryMediums: ["EMAIL"],
      UserAttributes: [
        { Name: "email", Value: "owner@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    const files = unzipSync(new Uint8Array(uploaded!));
    expect(strFromU8(files["config.js"]!)).toContain('"userPoolId": "us-west-2_Pool"');
    expect(stdout.text()).toContain("Retouch is deployed: https://prod.d1abc.amplifyapp.com");
    expect(stdout.text()).toContain("Alarms are emailed to owner@example.com");
    expect(stdout.text()).toContain("username:           admin");
    expect(stdout.text()).toContain(`temporary password: ${String(created.TemporaryPassword)}`);
  });

  it("leaves an existing first user alone on a second deploy and says so", async () => {
    // Prepare
    const { deps, stdout } = world({ userExists: true });

    // Act
    await awsDeploy({ yes: true, adminEmail: "owner@example.com" }, deps);

    // Assess
    expect(stdout.text()).toContain(
      "User 'admin' already exists: left as it is (its password was not reset).",
    );
    expect(stdout.text()).not.toContain("temporary password");
  });

  it.each([
    [
      { bootstrap: null },
      /CDK is not bootstrapped in us-west-2: run \(cd infra && AWS_REGION=us-west-2 npx cdk bootstrap\)/,
    ],
    [
      { bootstrap: "ROLLBACK_COMPLETE" },
      /CDK is not bootstrapped in us-west-2 \(CDKToolkit is ROLLBACK_COMPLETE\)/,
    ],
    [{ region: null }, /No AWS region: pass --region/],
  ])("stops before changing anything when a prerequisite is missing (%o)", async (options, message) => {
    // Prepare
    const { deps, calls } = world({ ...options, typed: "y" });

    // Act
    const deploying = awsDeploy({ adminEmail: "owner@example.com" }, deps);

    // Assess
    await expect(deploying).rejects.toThrow(message);
    expect(calls.filter((c) => c.client !== "cloudformation")).toEqual([]);
  });

  it("deploys nothing unless the question is answered yes", async () => {
    // Prepare
    const { deps, calls, stderr } = world({ typed: "no" });

    // Act
    const deploying = awsDeploy({ adminEmail: "owner@example.com" }, deps);

    // Assess
    await expect(deploying).rejects.toThrow("Not deployed.");
    expect(stderr.text()).toContain("Deploy stack Retouch to us-west-2?");
    expect(calls.map((c) => c.client)).toEqual(["cloudformation"]);
  });
});
