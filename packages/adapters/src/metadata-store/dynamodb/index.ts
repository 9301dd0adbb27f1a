import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import {
  ConflictError,
  EditRecordSchema,
  ImageRecordSchema,
  NotFoundError,
  ValidationError,
  type EditRecord,
  type EditStatus,
  type EditUpdateConditions,
  type ImageRecord,
  type MetadataStore,
} from "@retouch/core";
import { HISTORY_INDEX, PENDING_EXPIRY_ATTRIBUTE, PENDING_IMAGE_LIFETIME_SECONDS } from "./table";

export {
  createImageGenerationTable,
  imageGenerationTableDefinition,
  HISTORY_INDEX,
  PENDING_EXPIRY_ATTRIBUTE,
} from "./table";

export interface DynamoMetadataStoreOptions {
  /** A document client (`DynamoDBDocumentClient.from(new DynamoDBClient(...))`). */
  client: DynamoDBDocumentClient;
  /** `ImageGenerationTable` or the name the stack gave it. */
  tableName: string;
}

type Kind = "image" | "edit";

/** DynamoDB's TTL deletes a pending image record a while after its upload was reserved. */
const pendingExpiry = (image: ImageRecord) =>
  image.status === "pending"
    ? {
        [PENDING_EXPIRY_ATTRIBUTE]:
          Math.floor(Date.parse(image.createdAt) / 1000) + PENDING_IMAGE_LIFETIME_SECONDS,
      }
    : {};

const historyKeys = (edit: EditRecord) => ({
  historyUserId: edit.userId,
  historySortKey: `${edit.createdAt}#${edit.id}`,
});

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decodeCursor(cursor: string): Record<string, string> {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Record<string, unknown>;
    const fields = ["id", "historyUserId", "historySortKey"];
    if (fields.every((f) => typeof key[f] === "string") && Object.keys(key).length === fields.length) {
      return key as Record<string, string>;
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError("Invalid cursor");
}

/**
 * `MetadataStore` on DynamoDB (`ImageGenerationTable`). Every write is conditional: creation
 * refuses an existing id, and an edit's status changes only from the statuses the caller
 * expects — two workers can never both finish one edit.
 *
 * @example
 * ```ts
 * const store = createMetadataStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: "ImageGenerationTable" });
 * ```
 */
export function createMetadataStore(options: DynamoMetadataStoreOptions): MetadataStore {
  const { client, tableName } = options;

  const read = async (kind: Kind, id: string) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }),
    );
    return Item && Item.kind === kind ? Item : null;
  };

  const create = async (kind: Kind, item: Record<string, unknown>) => {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...item, kind },
          ConditionExpression: "attribute_not_exists(id)",
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError(`An ${kind} with id '${String(item.id)}' already exists`);
      }
      throw error;
    }
  };

  /** SET every patched field, under a condition; a failed condition is told apart by a read. */
  const update = async (
    kind: Kind,
    id: string,
    patch: Record<string, unknown>,
    conditions: EditUpdateConditions = {},
    remove: readonly string[] = [],
  ) => {
    const { expectedStatus, attemptsBelow } = conditions;
    const fields = Object.entries(patch).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = { "#kind": "kind" };
    const values: Record<string, unknown> = { ":kind": kind };
    const sets = fields.map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
    const removals = remove.map((field, i) => {
      names[`#r${i}`] = field;
      return `#r${i}`;
    });
    let condition = "attribute_exists(id) AND #kind = :kind";
    if (expectedStatus) {
      names["#status"] = "status";
      expectedStatus.forEach((status, i) => (values[`:s${i}`] = status));
      condition += ` AND #status IN (${expectedStatus.map((_, i) => `:s${i}`).join(", ")})`;
    }
    if (attemptsBelow !== undefined) {
      names["#attempts"] = "attempts";
      values[":attemptsBelow"] = attemptsBelow;
      condition += " AND #attempts < :attemptsBelow";
    }
    try {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id },
          UpdateExpression: [
            `SET ${sets.length > 0 ? sets.join(", ") : "#kind = :kind"}`,
            ...(removals.length > 0 ? [`REMOVE ${removals.join(", ")}`] : []),
          ].join(" "),
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await read(kind, id);
      if (!current) throw new NotFoundError(kind, id);
      if (expectedStatus && !expectedStatus.includes(current.status as EditStatus)) {
        throw new ConflictError(
          `Edit '${id}' is '${String(current.status)}', expected one of ${expectedStatus.join(", ")}`,
        );
      }
      throw new ConflictError(`Edit '${id}' is already at attempt ${String(current.attempts)}`);
    }
  };

  return {
    async createImage(image) {
      const record = ImageRecordSchema.parse(image);
      await create("image", { ...record, ...pendingExpiry(record) });
    },
    async getImage(id) {
      const item = await read("image", id);
      return item ? ImageRecordSchema.parse(item) : null;
    },
    async updateImage(id, patch) {
      const cleared = patch.status === "ready" ? [PENDING_EXPIRY_ATTRIBUTE] : [];
      return ImageRecordSchema.parse(await update("image", id, patch, {}, cleared));
    },
    async deleteImage(id) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: { id } }));
    },

    async createEdit(edit) {
      const record = EditRecordSchema.parse(edit);
      await create("edit", { ...record, ...historyKeys(record) });
    },
    async getEdit(id) {
      const item = await read("edit", id);
      return item ? EditRecordSchema.parse(item) : null;
    },
    async updateEdit(id, patch, updateOptions) {
      return EditRecordSchema.parse(await update("edit", id, patch, updateOptions));
    },
    async deleteEdit(id) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: { id } }));
    },

    async listEditsByStatus(statuses, limit) {
      if (statuses.length === 0) return [];
      // A scan is fine for a rare recovery sweep; request paths use the history index.
      const values = Object.fromEntries(statuses.map((status, i) => [`:s${i}`, status]));
      const found: EditRecord[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: `#kind = :edit AND #status IN (${Object.keys(values).join(", ")})`,
            ExpressionAttributeNames: { "#kind": "kind", "#status": "status" },
            ExpressionAttributeValues: { ":edit": "edit", ...values },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) found.push(EditRecordSchema.parse(item));
        start = page.LastEvaluatedKey;
      } while (start);
      return found
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
        .slice(0, limit);
    },
    async listEdits(userId, { limit, cursor }) {
      // One extra item tells whether another page exists.
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: HISTORY_INDEX,
          KeyConditionExpression: "historyUserId = :user",
          ExpressionAttributeValues: { ":user": userId },
          ScanIndexForward: false,
          Limit: limit + 1,
          ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor) } : {}),
        }),
      );
      const page = Items.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((item) => EditRecordSchema.parse(item)),
        nextCursor:
          Items.length > limit && last
            ? encodeCursor({
                id: last.id,
                historyUserId: last.historyUserId,
                historySortKey: last.historySortKey,
              })
            : null,
      };
    },
  };
}
