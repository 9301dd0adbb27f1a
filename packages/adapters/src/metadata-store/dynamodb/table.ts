import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

/** The history index: a user's edits, newest first. Only edit items carry its keys (a sparse index). */
export const HISTORY_INDEX = "userId-createdAt-index";

/**
 * The table's time-to-live attribute (epoch seconds). Only pending image records carry it, so an
 * upload that is never completed loses its record; completion removes it.
 */
export const PENDING_EXPIRY_ATTRIBUTE = "pendingExpiresAt";

/** How long a pending image record lives: a day past the upload URL's longest life, to be safe. */
export const PENDING_IMAGE_LIFETIME_SECONDS = 2 * 24 * 60 * 60;

/**
 * Shape of `ImageGenerationTable`: partition key `id` (String), on-demand, plus the history
 * index on `historyUserId` + `historySortKey` (`createdAt#id`, so equal times still sort).
 * Image records share the table under their own ids. The CDK stack declares the same shape.
 */
export function imageGenerationTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [
      { AttributeName: "id", AttributeType: "S" },
      { AttributeName: "historyUserId", AttributeType: "S" },
      { AttributeName: "historySortKey", AttributeType: "S" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: HISTORY_INDEX,
        KeySchema: [
          { AttributeName: "historyUserId", KeyType: "HASH" },
          { AttributeName: "historySortKey", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}

/**
 * Creates the table (for local emulators and tests; on AWS the CDK stack owns it).
 *
 * @example
 * ```ts
 * await createImageGenerationTable(new DynamoDBClient({ endpoint }), "ImageGenerationTable");
 * ```
 */
export async function createImageGenerationTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(imageGenerationTableDefinition(tableName)));
}
