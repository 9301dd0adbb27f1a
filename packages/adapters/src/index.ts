export { openSqlite, migrate, type SqliteDatabase } from "./sqlite/database";
export { createMetadataStore as createSqliteMetadataStore } from "./metadata-store/sqlite/index";
export {
  createBlobStore as createFilesystemBlobStore,
  type FilesystemBlobStore,
} from "./blob-store/filesystem/index";
export { createJobQueue as createInProcessJobQueue } from "./job-queue/in-process/index";
export { createIdentity as createLocalIdentity, type LocalIdentity } from "./identity/local-jwt/index";
