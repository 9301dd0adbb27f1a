import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as s3 from "aws-cdk-lib/aws-s3";
import { NagSuppressions } from "cdk-nag";
import { Construct } from "constructs";
import { UPLOAD_PREFIX } from "@retouch/core";

/** The history index; must match `imageGenerationTableDefinition` in `@retouch/adapters`. */
export const HISTORY_INDEX_NAME = "userId-createdAt-index";

/** Time to live of pending image records; must match `PENDING_EXPIRY_ATTRIBUTE` in `@retouch/adapters`. */
export const PENDING_EXPIRY_ATTRIBUTE = "pendingExpiresAt";

export interface DataProps {
  /** Retain the table and the images bucket when the stack is deleted. */
  keepData: boolean;
  /** Browser origins that may PUT/GET images with presigned URLs. */
  corsOrigins: string[];
}

/**
 * `ImageGenerationTable` (edits and image records, on-demand, PITR, sparse history index) and
 * the images bucket (private, TLS only, S3-managed encryption, access-logged).
 */
export class Data extends Construct {
  readonly table: dynamodb.Table;
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const removalPolicy = props.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new dynamodb.Table(this, "ImageGenerationTable", {
      tableName: "ImageGenerationTable",
      partitionKey: { name: "id", type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Records of uploads that were reserved but never completed expire on their own.
      timeToLiveAttribute: PENDING_EXPIRY_ATTRIBUTE,
      deletionProtection: props.keepData,
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: HISTORY_INDEX_NAME,
      partitionKey: { name: "historyUserId", type: dynamodb.AttributeType.STRING },
      sortKey: { name: "historySortKey", type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    this.accessLogsBucket = new s3.Bucket(this, "AccessLogsBucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(90) }],
      removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(this.accessLogsBucket, [
      {
        id: "AwsSolutions-S1",
        reason:
          "This is the server-access-log target of the images bucket; logging it into itself would loop.",
      },
    ]);

    this.bucket = new s3.Bucket(this, "ImagesBucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: "images/",
      cors: [
        {
          // Browsers upload and download image bytes directly with presigned URLs.
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: props.corsOrigins,
          allowedHeaders: ["Content-Type", "x-amz-*"],
          exposedHeaders: ["ETag"],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        { id: "abort-incomplete-uploads", abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Raw uploads wait under uploads/ until their completion step moves them; what is left
        // there after a day was abandoned (the presigned URL expired long before).
        { id: "expire-abandoned-uploads", prefix: UPLOAD_PREFIX, expiration: Duration.days(1) },
      ],
      removalPolicy,
    });
  }
}
