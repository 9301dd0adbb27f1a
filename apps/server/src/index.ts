export { startLocalServer, type RunningServer } from "./node-server";
export {
  createLocalRuntime,
  openLocalIdentity,
  dataPaths,
  LOCAL_CLIENT_ID,
  type LocalRuntime,
  type JobRecovery,
} from "./local-runtime";
export { bootstrapAdmin, ADMIN_USERNAME } from "./bootstrap-admin";
export { createLambdaHandler } from "./lambda";
export { registerWebRoutes, WEB_CONTENT_TYPES, WEB_DIST } from "./web";
export { version } from "./version";
