import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

/** The history index: a user's edits, newest first. Only edit items carry its keys (a sparse index). */
export const HISTORY_INDEX = "userId-createdAt-index";

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
