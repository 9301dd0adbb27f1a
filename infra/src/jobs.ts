import {
  baseModelId,
  isInferenceProfileId,
  selectBedrockModels,
  STABILITY_DEFAULT_MODEL_IDS,
} from "@retouch/engines/bedrock";
import { Aws, Duration } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { NagSuppressions } from "cdk-nag";
import { Construct } from "constructs";
import { createBackendFunction, type NativeModulesMode } from "./backend-function";
import { BEDROCK_FAILURES_METRIC, ENV } from "./environment";

/**
 * The Bedrock models the worker may invoke unless the stack is told otherwise: every model of
 * the Stability engine's catalogue. Nova Canvas is past its end of life (2026-09-30), so an
 * account that still has it opts in with `-c bedrockModelIds=…,amazon.nova-canvas-v1:0`.
 */
export const DEFAULT_BEDROCK_MODEL_IDS: readonly string[] = STABILITY_DEFAULT_MODEL_IDS;

/** Receives of one job message before SQS moves it to the DLQ. */
export const MAX_RECEIVE_COUNT = 3;

export const WORKER_TIMEOUT = Duration.minutes(5);

/**
 * The ARNs `bedrock:InvokeModel` needs for a model id: the foundation model in the stack's
 * region; for a cross-region inference profile (`us.…`), the profile in this account and region
 * plus its model in every region the profile may route to (which regions is AWS's choice, hence
 * `*`): https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html
 */
export function modelInvokeArns(modelId: string): string[] {
  const foundationModel = (region: string) =>
    `arn:${Aws.PARTITION}:bedrock:${region}::foundation-model/${baseModelId(modelId)}`;
  if (!isInferenceProfileId(modelId)) return [foundationModel(Aws.REGION)];
  return [
    `arn:${Aws.PARTITION}:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:inference-profile/${modelId}`,
    foundationModel("*"),
  ];
}

export interface JobsProps {
  entry: string;
  bedrockModelIds: readonly string[];
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  nativeModules: NativeModulesMode;
  /** Workers running at once (protects the Bedrock quotas); at least 2. */
  maxConcurrency: number;
}

/**
 * The edit queue, its DLQ, and the worker (`ImageEditWorker`, role `bedrock-image-editing-role`)
 * that runs edits off the HTTP request, so no edit is bound by API Gateway's 29 s limit.
 */
export class Jobs extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly worker: lambda.Function;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    // Refuse at synth a model no engine would use: the worker offers exactly these models.
    selectBedrockModels(props.bedrockModelIds);

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, "EditJobQueue", {
      // Lambda's guidance: at least six times the consumer's timeout.
      visibilityTimeout: Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    NagSuppressions.addResourceSuppressions(this.deadLetterQueue, [
      { id: "AwsSolutions-SQS3", reason: "This queue is the dead-letter queue of the edit job queue." },
    ]);

    const { fn, role } = createBackendFunction(this, "Worker", {
      functionName: "ImageEditWorker",
      roleName: "bedrock-image-editing-role",
      description: "Runs queued Retouch edits with Amazon Bedrock image models",
      entry: props.entry,
      timeout: WORKER_TIMEOUT,
      memorySize: 2048,
      logRetention: props.logRetention,
      nativeModules: props.nativeModules,
      environment: {
        ...props.environment,
        [ENV.maxReceiveCount]: String(MAX_RECEIVE_COUNT),
        POWERTOOLS_SERVICE_NAME: BEDROCK_FAILURES_METRIC.service,
        POWERTOOLS_METRICS_NAMESPACE: BEDROCK_FAILURES_METRIC.namespace,
      },
    });
    this.worker = fn;
    this.role = role;

    role.addToPolicy(
      new iam.PolicyStatement({
        sid: "InvokeConfiguredImageModels",
        actions: ["bedrock:InvokeModel"],
        resources: props.bedrockModelIds.flatMap(modelInvokeArns),
      }),
    );
    if (props.bedrockModelIds.some(isInferenceProfileId)) {
      NagSuppressions.addResourceSuppressions(
        role,
        [
          {
            id: "AwsSolutions-IAM5",
            reason:
              "A cross-region inference profile routes to its model in regions AWS chooses; the " +
              "grant names the model and leaves only the region open.",
            appliesTo: [{ regex: "/^Resource::arn:<AWS::Partition>:bedrock:\\*::foundation-model\\/.+$/" }],
          },
        ],
        true,
      );
    }

    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }
}
