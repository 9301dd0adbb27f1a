import {
  ConflictError,
  EditRecordSchema,
  ImageRecordSchema,
  NotFoundError,
  ValidationError,
  type EditPatch,
  type EditRecord,
  type EditUpdateConditions,
  type ImagePatch,
  type ImageRecord,
  type MetadataStore,
  type Page,
} from "@retouch/core";
import { migrate, type SqliteDatabase } from "../../sqlite/database";

const MIGRATIONS = [
  `CREATE TABLE images (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX images_by_user ON images (user_id);
   CREATE TABLE edits (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     status TEXT NOT NULL,
     created_at TEXT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX edits_by_user ON edits (user_id, created_at DESC, id DESC);`,
  "CREATE INDEX edits_by_status ON edits (status, created_at, id);",
];

/** Cursor of a history page: the sort key of its last item. */
interface Cursor {
  createdAt: string;
  id: string;
}

function encodeCursor(edit: EditRecord): string {
  return Buffer.from(JSON.stringify({ createdAt: edit.createdAt, id: edit.id } satisfies Cursor)).toString(
    "base64url",
  );
}

function decodeCursor(cursor: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<Cursor>;
    if (typeof parsed.createdAt === "string" && typeof parsed.id === "string") {
      return { createdAt: parsed.createdAt, id: parsed.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError("Invalid cursor");
}

/** Runs an INSERT, turning a primary-key clash into a 409. */
function insertOnce(kind: string, id: string, insert: () => unknown): void {
  try {
    insert();
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
      throw new ConflictError(`An ${kind} with id '${id}' already exists`);
    }
    throw error;
  }
}

/**
 * `MetadataStore` on SQLite. Each record is one JSON document validated on the way out, with
 * the columns that queries need (owner, status, creation time) kept beside it.
 *
 * @example
 * ```ts
 * const store = createMetadataStore({ db: openSqlite(".retouch-data/retouch.db") });
 * await store.createEdit(edit);
 * ```
 */
export function createMetadataStore(options: { db: SqliteDatabase }): MetadataStore {
  const { db } = options;
  migrate(db, "metadata", MIGRATIONS);

  const statements = {
    insertImage: db.prepare("INSERT INTO images (id, user_id, record) VALUES (?, ?, ?)"),
    getImage: db.prepare("SELECT record FROM images WHERE id = ?"),
    setImage: db.prepare("UPDATE images SET record = ? WHERE id = ?"),
    deleteImage: db.prepare("DELETE FROM images WHERE id = ?"),
    insertEdit: db.prepare(
      "INSERT INTO edits (id, user_id, status, created_at, record) VALUES (?, ?, ?, ?, ?)",
    ),
    getEdit: db.prepare("SELECT record FROM edits WHERE id = ?"),
    setEdit: db.prepare("UPDATE edits SET status = ?, record = ? WHERE id = ?"),
    deleteEdit: db.prepare("DELETE FROM edits WHERE id = ?"),
    firstPage: db.prepare(
      "SELECT record FROM edits WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
    ),
    nextPage: db.prepare(
      `SELECT record FROM edits WHERE user_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    ),
  };

  const readImage = (id: string): ImageRecord | null => {
    const row = statements.getImage.get(id) as { record: string } | undefined;
    return row ? ImageRecordSchema.parse(JSON.parse(row.record)) : null;
  };
  const readEdit = (id: string): EditRecord | null => {
    const row = statements.getEdit.get(id) as { record: string } | undefined;
    return row ? EditRecordSchema.parse(JSON.parse(row.record)) : null;
  };

  // better-sqlite3 is synchronous, so a transaction here is a true read-check-write with no
  // other writer in between: the conditional update cannot lose an update.
  const updateEdit = db.transaction(
    (id: string, patch: EditPatch, conditions: EditUpdateConditions = {}): EditRecord => {
      const { expectedStatus, attemptsBelow } = conditions;
      const current = readEdit(id);
      if (!current) throw new NotFoundError("edit", id);
      if (expectedStatus && !expectedStatus.includes(current.status)) {
        throw new ConflictError(
          `Edit '${id}' is '${current.status}', expected one of ${expectedStatus.join(", ")}`,
        );
      }
      if (attemptsBelow !== undefined && current.attempts >= attemptsBelow) {
        throw new ConflictError(`Edit '${id}' is already at attempt ${current.attempts}`);
      }
      const next = EditRecordSchema.parse({ ...current, ...patch });
      statements.setEdit.run(next.status, JSON.stringify(next), id);
      return next;
    },
  );
  const updateImage = db.transaction((id: string, patch: ImagePatch): ImageRecord => {
    const current = readImage(id);
    if (!current) throw new NotFoundError("image", id);
    const next = ImageRecordSchema.parse({ ...current, ...patch });
    statements.setImage.run(JSON.stringify(next), id);
    return next;
  });

  return {
    async createImage(image) {
      const record = ImageRecordSchema.parse(image);
      insertOnce("image", record.id, () =>
        statements.insertImage.run(record.id, record.userId, JSON.stringify(record)),
      );
    },
    async getImage(id) {
      return readImage(id);
    },
    async updateImage(id, patch) {
      return updateImage(id, patch);
    },
    async deleteImage(id) {
      statements.deleteImage.run(id);
    },
    async createEdit(edit) {
      const record = EditRecordSchema.parse(edit);
      insertOnce("edit", record.id, () =>
        statements.insertEdit.run(
          record.id,
          record.userId,
          record.status,
          record.createdAt,
          JSON.stringify(record),
        ),
      );
    },
    async getEdit(id) {
      return readEdit(id);
    },
    async updateEdit(id, patch, updateOptions) {
      return updateEdit(id, patch, updateOptions);
    },
    async deleteEdit(id) {
      statements.deleteEdit.run(id);
    },
    async listEditsByStatus(statuses, limit) {
      if (statuses.length === 0) return [];
      const rows = db
        .prepare(
          `SELECT record FROM edits WHERE status IN (${statuses.map(() => "?").join(", ")})
           ORDER BY created_at, id LIMIT ?`,
        )
        .all(...statuses, limit) as { record: string }[];
      return rows.map((row) => EditRecordSchema.parse(JSON.parse(row.record)));
    },
    async listEdits(userId, { limit, cursor }): Promise<Page<EditRecord>> {
      const after = cursor ? decodeCursor(cursor) : null;
      // One extra row tells whether another page exists.
      const rows = (
        after
          ? statements.nextPage.all(userId, after.createdAt, after.createdAt, after.id, limit + 1)
          : statements.firstPage.all(userId, limit + 1)
      ) as { record: string }[];
      const items = rows.slice(0, limit).map((row) => EditRecordSchema.parse(JSON.parse(row.record)));
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },
  };
}
