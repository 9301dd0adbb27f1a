import { fileURLToPath } from "node:url";
import { Aws, CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import { NagSuppressions } from "cdk-nag";
import type { Construct } from "constructs";
import { UPLOAD_PREFIX } from "@retouch/core";
import { Api } from "./api";
import { Auth } from "./auth";
import { createBackendFunction, type NativeModulesMode } from "./backend-function";
import { Data, HISTORY_INDEX_NAME } from "./data";
import { API_SERVICE_NAME, BEDROCK_FAILURES_METRIC, ENV } from "./environment";
import { AMPLIFY_BRANCH, Hosting } from "./hosting";
import { DEFAULT_BEDROCK_MODEL_IDS, Jobs } from "./jobs";
import { Monitoring } from "./monitoring";

export const API_ENTRY = fileURLToPath(new URL("../lambda/api-handler.ts", import.meta.url));
export const WORKER_ENTRY = fileURLToPath(new URL("../lambda/worker-handler.ts", import.meta.url));

export interface RetouchStackProps extends StackProps {
  /** Keep the table, the images bucket and the user pool when the stack is deleted (default true). */
  keepData?: boolean;
  /** Cognito deletion protection on the user pool (default: same as `keepData`). */
  userPoolDeletionProtection?: boolean;
  /** Foundation models the worker may invoke (default `DEFAULT_BEDROCK_MODEL_IDS`). */
  bedrockModelIds?: readonly string[];
  /** Origins allowed besides the Amplify app's, e.g. `http://localhost:5173` for development. */
  extraCorsOrigins?: string[];
  /** Stage-wide throttling (default 20 requests/s, burst 40). */
  throttling?: { rateLimit: number; burstLimit: number };
  /** Retention of every log group (default one month). */
  logRetention?: logs.RetentionDays;
  /** Workers running at once (default 5). */
  workerMaxConcurrency?: number;
  /** See `NativeModulesMode` (default `install`; offline tests use `skip`). */
  nativeModules?: NativeModulesMode;
  /** Default engine id for edits that name none (`RETOUCH_ENGINE`). */
  defaultEngine?: string;
  /** Email address subscribed to the alarm topic (none by default). */
  alarmEmail?: string;
}

/**
 * Retouch on AWS: Amplify Hosting → Cognito → API Gateway (REST, `prod`) → Lambda (API) → SQS →
 * Lambda (worker) → Bedrock, metadata in DynamoDB, images in S3, logs, alarms and a dashboard in
 * CloudWatch; each function's role holds only what it uses.
 */
export class RetouchStack extends Stack {
  readonly auth: Auth;
  readonly data: Data;
  readonly api: Api;
  readonly jobs: Jobs;
  readonly hosting: Hosting;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: RetouchStackProps = {}) {
    super(scope, id, props);
    // Server access logs are delivered by bucket policy (the log bucket enforces bucket-owner
    // object ownership, so ACLs are off), whatever the app's cdk.json says.
    this.node.setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
    const keepData = props.keepData ?? true;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const nativeModules = props.nativeModules ?? "install";

    this.hosting = new Hosting(this, "Hosting");
    const corsOrigins = [this.hosting.url, ...(props.extraCorsOrigins ?? [])];

    this.auth = new Auth(this, "Auth", {
      keepData,
      deletionProtection: props.userPoolDeletionProtection ?? keepData,
    });
    this.data = new Data(this, "Data", { keepData, corsOrigins });
    const { table, bucket } = this.data;

    const bedrockModelIds = props.bedrockModelIds ?? DEFAULT_BEDROCK_MODEL_IDS;
    const environment: Record<string, string> = {
      [ENV.tableName]: table.tableName,
      [ENV.imagesBucket]: bucket.bucketName,
      [ENV.userPoolId]: this.auth.userPool.userPoolId,
      [ENV.userPoolClientId]: this.auth.userPoolClient.userPoolClientId,
      [ENV.corsOrigins]: corsOrigins.join(","),
      [ENV.logLevel]: "info",
      // Both functions: the API lists the engines these models allow, the worker runs them.
      [ENV.bedrockModelIds]: bedrockModelIds.join(","),
      ...(props.defaultEngine ? { [ENV.defaultEngine]: props.defaultEngine } : {}),
    };

    this.jobs = new Jobs(this, "Jobs", {
      entry: WORKER_ENTRY,
      bedrockModelIds,
      environment,
      logRetention,
      nativeModules,
      maxConcurrency: props.workerMaxConcurrency ?? 5,
    });

    const backend = createBackendFunction(this, "ImageEditBackend", {
      functionName: "ImageEditBackend",
      description: "Retouch HTTP API (Hono) behind API Gateway",
      entry: API_ENTRY,
      timeout: Duration.seconds(60),
      memorySize: 1024,
      logRetention,
      nativeModules,
      environment: {
        ...environment,
        [ENV.queueUrl]: this.jobs.queue.queueUrl,
        POWERTOOLS_SERVICE_NAME: API_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: BEDROCK_FAILURES_METRIC.namespace,
      },
    });

    // Least privilege: each role gets the item actions its adapter uses, on this table (and
    // the history index for queries), objects under users/ in this bucket, and this queue.
    grantTable(backend.role, this.data, ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"]);
    grantTable(this.jobs.role, this.data, ["GetItem", "PutItem", "UpdateItem", "DeleteItem"]);
    grantImages(backend.role, this.data);
    grantImages(this.jobs.role, this.data);
    this.jobs.queue.grantSendMessages(backend.role);

    this.api = new Api(this, "Api", {
      userPool: this.auth.userPool,
      handler: backend.fn,
      corsOrigins,
      throttling: props.throttling ?? { rateLimit: 20, burstLimit: 40 },
      logRetention,
    });

    this.monitoring = new Monitoring(this, "Monitoring", {
      api: this.api.restApi,
      functions: { Api: backend.fn, Worker: this.jobs.worker },
      queue: this.jobs.queue,
      deadLetterQueue: this.jobs.deadLetterQueue,
      alarmEmail: props.alarmEmail,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      UserPoolId: { value: this.auth.userPool.userPoolId, description: "Cognito user pool id" },
      UserPoolClientId: {
        value: this.auth.userPoolClient.userPoolClientId,
        description: "Web editor's app client id",
      },
      Region: { value: Aws.REGION, description: "Region of the stack" },
      InvokeUrl: { value: this.api.invokeUrl, description: "API base URL (stage prod)" },
      AmplifyAppId: { value: this.hosting.app.attrAppId, description: "Amplify app id" },
      AmplifyBranch: { value: AMPLIFY_BRANCH, description: "Amplify branch to deploy the web build to" },
      AmplifyDefaultDomain: { value: this.hosting.app.attrDefaultDomain, description: "Amplify domain" },
      AppUrl: { value: this.hosting.url, description: "Web editor URL" },
      ImagesBucket: { value: bucket.bucketName, description: "Images bucket" },
      TableName: { value: table.tableName, description: "DynamoDB table" },
      QueueUrl: { value: this.jobs.queue.queueUrl, description: "Edit job queue" },
      AlarmTopicArn: { value: this.monitoring.alarmTopic.topicArn, description: "SNS topic of the alarms" },
    };
    for (const [name, output] of Object.entries(outputs)) new CfnOutput(this, name, output);
  }
}

function grantTable(role: iam.IRole, data: Data, actions: string[]): void {
  const resources = [data.table.tableArn];
  if (actions.includes("Query")) resources.push(`${data.table.tableArn}/index/${HISTORY_INDEX_NAME}`);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: "ImageGenerationTable",
      actions: actions.map((action) => `dynamodb:${action}`),
      resources,
    }),
  );
}

function grantImages(role: iam.IRole, data: Data): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: "ImageObjects",
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      resources: [data.bucket.arnForObjects("users/*"), data.bucket.arnForObjects(`${UPLOAD_PREFIX}users/*`)],
    }),
  );
  // Without ListBucket, HEAD on a missing key answers 403 instead of 404.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: "ImagesBucketList",
      actions: ["s3:ListBucket"],
      resources: [data.bucket.bucketArn],
    }),
  );
  NagSuppressions.addResourceSuppressions(
    role,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "Image object keys are generated per user and per image (users/{userId}/{purpose}/{imageId}, and uploads/ + that key until an upload is completed); the grant covers only those prefixes of this bucket.",
        appliesTo: [{ regex: "/^Resource::<DataImagesBucket[0-9A-F]+\\.Arn>\\/(uploads\\/)?users\\/\\*$/g" }],
      },
    ],
    true,
  );
}
