export { openSqlite, migrate, type SqliteDatabase } from "./sqlite/database";
export { createMetadataStore as createSqliteMetadataStore } from "./metadata-store/sqlite/index";
export {
  createMetadataStore as createDynamoMetadataStore,
  createImageGenerationTable,
  imageGenerationTableDefinition,
  PENDING_EXPIRY_ATTRIBUTE,
} from "./metadata-store/dynamodb/index";
export { createBlobStore as createS3BlobStore } from "./blob-store/s3/index";
export {
  createBlobStore as createFilesystemBlobStore,
  type FilesystemBlobStore,
} from "./blob-store/filesystem/index";
export { createJobQueue as createInProcessJobQueue } from "./job-queue/in-process/index";
export {
  createJobQueue as createSqsJobQueue,
  encodeJobMessage,
  parseJobMessage,
  runJobMessage,
  type SqsJobQueueOptions,
} from "./job-queue/sqs/index";
export { createIdentity as createLocalIdentity, type LocalIdentity } from "./identity/local-jwt/index";
export {
  createIdentity as createCognitoIdentity,
  type CognitoIdentityOptions,
} from "./identity/cognito/index";
