// S3 is faked (a recording `send`): s3rver, the local S3 the adapters use, has no bucket logging
// or object-version listing.
import type { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { deleteBucket, emptyBucket } from "../src/aws/data-removal";
import { awsError, fakeClient, type RecordedCall } from "./fake-aws-client";

describe("emptying and deleting a bucket", () => {
  it("stops access logging, then deletes every listed version page by page", async () => {
    // Prepare
    const calls: RecordedCall[] = [];
    const pages = [
      {
        IsTruncated: true,
        NextKeyMarker: "b",
        NextVersionIdMarker: "v2",
        Versions: [
          { Key: "a", VersionId: "v1" },
          { Key: "b", VersionId: "v2" },
        ],
      },
      { IsTruncated: false, DeleteMarkers: [{ Key: "c", VersionId: "v3" }] },
    ];
    const s3 = fakeClient<S3Client>("s3", calls, { ListObjectVersionsCommand: () => pages.shift() });

    // Act
    const deleted = await emptyBucket(s3, "images");

    // Assess
    expect(deleted).toBe(3);
    expect(calls.map((c) => c.command)).toEqual([
      "PutBucketLoggingCommand",
      "ListObjectVersionsCommand",
      "DeleteObjectsCommand",
      "ListObjectVersionsCommand",
      "DeleteObjectsCommand",
    ]);
    expect(calls[0]!.input).toEqual({ Bucket: "images", BucketLoggingStatus: {} });
    expect(calls[3]!.input).toMatchObject({ KeyMarker: "b", VersionIdMarker: "v2" });
    expect(calls[4]!.input).toEqual({
      Bucket: "images",
      Delete: { Objects: [{ Key: "c", VersionId: "v3" }], Quiet: true },
    });
  });

  it("empties again when late log deliveries refill the bucket before it is deleted", async () => {
    // Prepare
    const calls: RecordedCall[] = [];
    let refusals = 1;
    const s3 = fakeClient<S3Client>("s3", calls, {
      DeleteBucketCommand: () => {
        if (refusals-- > 0) throw awsError("BucketNotEmpty");
        return {};
      },
    });

    // Act
    const deleted = await deleteBucket(s3, "logs");

    // Assess
    expect(deleted).toBe(true);
    expect(calls.filter((c) => c.command === "DeleteBucketCommand")).toHaveLength(2);
  });

  it("answers null / false for a bucket that is already gone", async () => {
    // Prepare
    const s3 = fakeClient<S3Client>("s3", [], {
      PutBucketLoggingCommand: () => {
        throw awsError("NoSuchBucket");
      },
    });

    // Act
    const results = [await emptyBucket(s3, "gone"), await deleteBucket(s3, "gone")];

    // Assess
    expect(results).toEqual([null, false]);
  });
});
