import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  PutBucketLoggingCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  DeleteTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import {
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoSender } from "./first-user";

export type S3Sender = Pick<S3Client, "send">;
export type DynamoDbSender = Pick<DynamoDBClient, "send">;

const NOT_FOUND = new Set(["NoSuchBucket", "ResourceNotFoundException", "NotFoundException"]);

/** Runs a removal; a resource that is already gone counts as removed by someone else (`false`). */
async function unlessGone(work: () => Promise<void>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    if (NOT_FOUND.has((error as { name?: string }).name ?? "")) return false;
    throw error;
  }
}

/**
 * Deletes every object version and delete marker in a bucket (CloudFormation cannot delete a
 * bucket that holds any) after turning off its server access logging, so deleting does not
 * write new log objects. Answers how many it deleted, or `null` when the bucket is gone.
 *
 * @example
 * ```ts
 * await emptyBucket(new S3Client({}), "retouch-images-abc"); // 42
 * ```
 */
export async function emptyBucket(s3: S3Sender, bucket: string): Promise<number | null> {
  let deleted = 0;
  const found = await unlessGone(async () => {
    await s3.send(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: {} }));
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          KeyMarker: keyMarker,
          VersionIdMarker: versionIdMarker,
        }),
      );
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((o) => ({
        Key: o.Key!,
        VersionId: o.VersionId,
      }));
      // ListObjectVersions pages hold at most 1,000 entries, DeleteObjects' limit.
      if (objects.length > 0) {
        await s3.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
        );
        deleted += objects.length;
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
  });
  return found ? deleted : null;
}

/**
 * Empties and deletes a bucket, emptying again when late log deliveries refill it.
 *
 * @example
 * ```ts
 * await deleteBucket(s3, "retouch-images-abc"); // true, or false when it was already gone
 * ```
 */
export async function deleteBucket(s3: S3Sender, bucket: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    if ((await emptyBucket(s3, bucket)) === null) return false;
    try {
      return await unlessGone(() =>
        s3.send(new DeleteBucketCommand({ Bucket: bucket })).then(() => undefined),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== "BucketNotEmpty" || attempt >= 3) throw error;
    }
  }
}

/**
 * Turns off a table's deletion protection if it is on, so CloudFormation or `deleteTable` can delete it.
 *
 * @example
 * ```ts
 * await allowTableDeletion(new DynamoDBClient({}), "ImageGenerationTable");
 * ```
 */
export async function allowTableDeletion(dynamodb: DynamoDbSender, table: string): Promise<void> {
  await unlessGone(async () => {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.DeletionProtectionEnabled)
      await dynamodb.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: false }));
  });
}

/**
 * Deletes a table, turning its deletion protection off first.
 *
 * @example
 * ```ts
 * await deleteTable(dynamodb, "ImageGenerationTable"); // true, or false when it was already gone
 * ```
 */
export async function deleteTable(dynamodb: DynamoDbSender, table: string): Promise<boolean> {
  await allowTableDeletion(dynamodb, table);
  return unlessGone(() => dynamodb.send(new DeleteTableCommand({ TableName: table })).then(() => undefined));
}

/**
 * Turns off a user pool's deletion protection if it is on. `UpdateUserPool` resets every setting
 * it is not given, which is harmless only because the pool is about to be deleted.
 *
 * @example
 * ```ts
 * await allowUserPoolDeletion(cognito, "us-west-2_abc");
 * ```
 */
export async function allowUserPoolDeletion(cognito: CognitoSender, userPoolId: string): Promise<void> {
  await unlessGone(async () => {
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    if (UserPool?.DeletionProtection === "ACTIVE")
      await cognito.send(
        new UpdateUserPoolCommand({ UserPoolId: userPoolId, DeletionProtection: "INACTIVE" }),
      );
  });
}

/**
 * Deletes a user pool (and so its users), turning its deletion protection off first.
 *
 * @example
 * ```ts
 * await deleteUserPool(cognito, "us-west-2_abc"); // true, or false when it was already gone
 * ```
 */
export async function deleteUserPool(cognito: CognitoSender, userPoolId: string): Promise<boolean> {
  await allowUserPoolDeletion(cognito, userPoolId);
  return unlessGone(() =>
    cognito.send(new DeleteUserPoolCommand({ UserPoolId: userPoolId })).then(() => undefined),
  );
}
