export { createApp } from "./app";
export type {
  ApiDependencies,
  ApiSettings,
  EngineCatalog,
  LocalAuth,
  SignedBlobEndpoint,
} from "./dependencies";
export { createLogger, type Logger } from "./logger";
export { EditRunner } from "./services/edit-runner";
export type { EditView, ImageLink } from "./services/edit-service";
export { requeueOrphanedEdits } from "./services/requeue-orphans";
