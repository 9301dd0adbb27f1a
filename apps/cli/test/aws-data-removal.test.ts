import { CreateUserPoolCommand, DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteTable, deleteUserPool } from "../src/aws/data-removal";
import { startCognitoLocal, startDynalite } from "../../../packages/adapters/test/local-aws";

describe("deleting retained data (against dynalite and cognito-local)", () => {
  let cognito: Awaited<ReturnType<typeof startCognitoLocal>>;
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;

  beforeAll(async () => {
    [cognito, dynamo] = await Promise.all([startCognitoLocal(), startDynalite()]);
  });
  afterAll(async () => {
    await Promise.all([cognito?.stop(), dynamo?.stop()]);
  });

  // cognito-local keeps no DeletionProtection, so lifting it is checked with a fake in aws-destroy.test.ts.
  it("deletes a user pool (its users with it) and reports a second delete as already gone", async () => {
    // Prepare
    const { UserPool } = await cognito.client.send(new CreateUserPoolCommand({ PoolName: "retained" }));
    const userPoolId = UserPool!.Id!;

    // Act
    const first = await deleteUserPool(cognito.client, userPoolId);
    const second = await deleteUserPool(cognito.client, userPoolId);

    // Assess
    expect([first, second]).toEqual([true, false]);
    await expect(
      cognito.client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("deletes the table and reports a second delete as already gone", async () => {
    // Act
    const first = await deleteTable(dynamo.client, dynamo.tableName);
    const second = await deleteTable(dynamo.client, dynamo.tableName);

    // Assess
    expect([first, second]).toEqual([true, false]);
    await expect(
      dynamo.client.send(new DescribeTableCommand({ TableName: dynamo.tableName })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});
