import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AmplifyClient } from "@aws-sdk/client-amplify";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import type { CloudWatchSender } from "./alarms";
import { deployToAmplify } from "./amplify-deployment";
import { parseDeployFlags, parseDestroyFlags, parseStatusFlags, STACK_NAME } from "./aws-flags";
import { REPO_ROOT, runCdk } from "./cdk-runner";
import { confirmByName, confirmYes } from "./confirm";
import { createFirstUser, type FirstUserResult } from "./first-user";
import { checkPrerequisites, resolveAccess } from "./prerequisites";
import { runCommand, type CommandRunner } from "./run-command";
import { parseStackOutputs, type StackOutputs } from "./stack-outputs";
import { formatDeploymentStatus, readDeploymentStatus } from "./status";
import { tearDown, type TeardownClients, type TeardownReport } from "./teardown";
import { buildWeb, zipWebBuild } from "./web-bundle";
import { webConfig, webConfigScript } from "./web-config";
import { CliError } from "../fail";

/** The SDK clients of one region, plus the SDK's own region and credential resolution. */
export interface AwsClients extends TeardownClients {
  cloudWatch: CloudWatchSender;
  region(): Promise<string>;
  credentials(): Promise<unknown>;
}

/** What the `aws` commands use from the outside world; tests pass fakes. */
export interface AwsDeps {
  /** Clients for a region; `undefined` lets the SDK resolve it (AWS_REGION, profile). */
  clients(region: string | undefined): AwsClients;
  /** Runs `cdk`, streaming its output. */
  run: CommandRunner;
  /** Builds the web editor and answers its build folder. */
  buildWeb(): Promise<string>;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

function sdkClients(region: string | undefined): AwsClients {
  const config = region ? { region } : {};
  const cloudFormation = new CloudFormationClient(config);
  return {
    cloudFormation,
    amplify: new AmplifyClient(config),
    s3: new S3Client(config),
    dynamodb: new DynamoDBClient(config),
    cognito: new CognitoIdentityProviderClient(config),
    cloudWatch: new CloudWatchClient(config),
    cloudWatchLogs: new CloudWatchLogsClient(config),
    region: () => cloudFormation.config.region(),
    credentials: () => cloudFormation.config.credentials(),
  };
}

const processDeps: AwsDeps = {
  clients: sdkClients,
  run: runCommand,
  buildWeb: () => buildWeb(runCommand, REPO_ROOT),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
};

/**
 * `retouch aws deploy`: checks prerequisites, `cdk deploy`s the stack, publishes the web editor
 * with this deployment's `config.js` on Amplify, and creates the first user.
 *
 * @example
 * ```ts
 * await awsDeploy({ region: "us-west-2", adminEmail: "me@example.com", yes: true });
 * ```
 */
export async function awsDeploy(raw: unknown, deps: AwsDeps = processDeps): Promise<void> {
  const flags = parseDeployFlags(raw);
  const log = (line: string) => deps.stderr.write(`${line}\n`);
  const clients = deps.clients(flags.region);
  const { region } = await checkPrerequisites(clients);
  if (
    !flags.yes &&
    !(await confirmYes(
      `Deploy stack ${STACK_NAME} to ${region}? It creates resources billed to this AWS account.`,
      deps.stdin,
      deps.stderr,
    ))
  ) {
    throw new CliError("Not deployed.");
  }

  // The editor is built first: a broken build should stop the deploy before the stack changes.
  log("Building the web editor…");
  const distDir = await deps.buildWeb();
  const outputs = await deployStack(deps.run, region, flags.keepData, flags.adminEmail);
  const zip = await zipWebBuild(distDir, webConfigScript(webConfig(outputs)));
  log(`Publishing the web editor on Amplify (app ${outputs.AmplifyAppId}, branch ${outputs.AmplifyBranch})…`);
  await deployToAmplify({
    amplify: clients.amplify,
    appId: outputs.AmplifyAppId,
    branchName: outputs.AmplifyBranch,
    zip,
    onStatus: (status) => log(`  Amplify job: ${status}`),
  });
  // The URL first: should creating the user fail, the deployment itself still succeeded.
  deps.stdout.write(
    `\nRetouch is deployed: ${outputs.AppUrl}\n` +
      `Alarms are emailed to ${flags.adminEmail} once you confirm the subscription mail from AWS Notifications.\n\n`,
  );
  const user = await createFirstUser({
    cognito: clients.cognito,
    userPoolId: outputs.UserPoolId,
    username: flags.adminUsername,
    email: flags.adminEmail,
  });
  deps.stdout.write(firstUserSummary(user));
}

async function deployStack(
  run: CommandRunner,
  region: string,
  keepData: boolean | undefined,
  alarmEmail: string,
): Promise<StackOutputs> {
  const dir = await mkdtemp(join(tmpdir(), "retouch-cdk-"));
  try {
    const outputsFile = join(dir, "outputs.json");
    await runCdk(
      run,
      {
        command: "deploy",
        stackName: STACK_NAME,
        outputsFile,
        alarmEmail,
        ...(keepData === undefined ? {} : { keepData }),
      },
      region,
    );
    return parseStackOutputs(await readFile(outputsFile, "utf8"), STACK_NAME);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function firstUserSummary(user: FirstUserResult): string {
  const lines: string[] = [];
  if (user.created) {
    lines.push(
      `  username:           ${user.username}`,
      `  temporary password: ${user.temporaryPassword}   (shown once${user.emailed ? "; also emailed" : ""})`,
      "",
      "Next: open the URL, sign in, and choose your own password. Edits use Amazon Bedrock: the",
      "Stability models are AWS Marketplace products, so try each once in the Bedrock console's",
      "playground as a user allowed aws-marketplace:Subscribe (the functions' roles cannot subscribe).",
    );
  } else {
    lines.push(
      `User '${user.username}' already exists: left as it is (its password was not reset).`,
      "Next: open the URL and sign in.",
    );
  }
  lines.push("Status: npx retouch aws status    Remove: npx retouch aws destroy", "");
  return lines.join("\n");
}

/**
 * `retouch aws destroy`: after the user types the stack name (or `--yes`), removes the Amplify
 * app, the stack, the log groups that outlived it and, unless `--keep-data`, the buckets, table
 * and user pool; prints what went and what was kept.
 *
 * @example
 * ```ts
 * await awsDestroy({ region: "us-west-2", yes: true });
 * ```
 */
export async function awsDestroy(raw: unknown, deps: AwsDeps = processDeps): Promise<TeardownReport> {
  const flags = parseDestroyFlags(raw);
  const log = (line: string) => deps.stderr.write(`${line}\n`);
  const clients = deps.clients(flags.region);
  const { region } = await resolveAccess(clients);
  log(
    `This deletes the Retouch deployment in ${region}` +
      (flags.keepData
        ? ", keeping the images, edits and users (buckets, table, user pool); its logs go."
        : ", including every image, edit and user (buckets, table, user pool) and its logs."),
  );
  if (!flags.yes && !(await confirmByName(STACK_NAME, deps.stdin, deps.stderr))) {
    throw new CliError("Nothing was deleted: the name did not match.");
  }
  const report = await tearDown(clients, {
    stackName: STACK_NAME,
    keepData: flags.keepData,
    destroyStack: () => runCdk(deps.run, { command: "destroy", stackName: STACK_NAME }, region),
    log,
  });
  const lines = [
    ...report.removed.map((item) => `removed  ${item}`),
    ...report.kept.map((item) => `kept     ${item}`),
    ...report.notes.map((note) => `note     ${note}`),
  ];
  deps.stdout.write(lines.join("\n") + "\n");
  return report;
}

/**
 * `retouch aws status`: the stack's status and outputs, the app URL, the last web deployment and
 * the states of the stack's alarms (firing ones highlighted in a terminal).
 *
 * @example
 * ```ts
 * await awsStatus({ region: "us-west-2", json: true });
 * ```
 */
export async function awsStatus(raw: unknown, deps: AwsDeps = processDeps): Promise<void> {
  const flags = parseStatusFlags(raw);
  const clients = deps.clients(flags.region);
  const { region } = await resolveAccess(clients);
  const status = await readDeploymentStatus(clients, STACK_NAME, region);
  // Color only for a terminal: escape codes would garble a file or a pipe.
  const color = (deps.stdout as { isTTY?: boolean }).isTTY === true && !process.env.NO_COLOR;
  deps.stdout.write(
    flags.json ? JSON.stringify(status, null, 2) + "\n" : formatDeploymentStatus(status, { color }),
  );
}
