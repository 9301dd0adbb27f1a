import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoMetadataStore, PENDING_EXPIRY_ATTRIBUTE } from "../src/index";
import { startDynalite } from "./local-aws";
import { anImage } from "./support";

/** What only the DynamoDB adapter does: the time to live that removes abandoned upload records. */
describe("DynamoDB MetadataStore: pending-image expiry (dynalite)", () => {
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;
  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  const rawItem = async (id: string) =>
    (await dynamo.client.send(new GetCommand({ TableName: dynamo.tableName, Key: { id } }))).Item ?? {};

  it("gives a pending image record an expiry two days after its creation and removes it on completion", async () => {
    // Prepare
    const store = createDynamoMetadataStore({ client: dynamo.client, tableName: dynamo.tableName });
    const pending = anImage({ status: "pending", createdAt: "2026-12-01T10:00:00.000Z" });
    const ready = anImage({ status: "ready" });

    // Act
    await store.createImage(pending);
    await store.createImage(ready);
    const whilePending = await rawItem(pending.id);
    const completed = await store.updateImage(pending.id, {
      status: "ready",
      updatedAt: new Date().toISOString(),
    });
    const afterCompletion = await rawItem(pending.id);

    // Assess
    expect(whilePending[PENDING_EXPIRY_ATTRIBUTE]).toBe(Date.parse("2026-12-03T10:00:00.000Z") / 1000);
    expect(afterCompletion).not.toHaveProperty(PENDING_EXPIRY_ATTRIBUTE);
    expect(afterCompletion.status).toBe("ready");
    expect(completed).not.toHaveProperty(PENDING_EXPIRY_ATTRIBUTE);
    expect(await rawItem(ready.id)).not.toHaveProperty(PENDING_EXPIRY_ATTRIBUTE);
  });
});
