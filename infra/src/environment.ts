/**
 * Environment variables the stack gives its functions; the Lambda entries read the same names.
 * One list, so the stack and the handlers cannot drift apart.
 */
export const ENV = {
  tableName: "RETOUCH_TABLE_NAME",
  imagesBucket: "RETOUCH_IMAGES_BUCKET",
  queueUrl: "RETOUCH_QUEUE_URL",
  userPoolId: "RETOUCH_USER_POOL_ID",
  userPoolClientId: "RETOUCH_USER_POOL_CLIENT_ID",
  corsOrigins: "RETOUCH_CORS_ORIGINS",
  logLevel: "RETOUCH_LOG_LEVEL",
  defaultEngine: "RETOUCH_ENGINE",
  maxUploadBytes: "RETOUCH_MAX_UPLOAD_BYTES",
  maxPixels: "RETOUCH_MAX_PIXELS",
  bedrockModelIds: "RETOUCH_BEDROCK_MODEL_IDS",
  /** Receives of one SQS message before it goes to the DLQ; the worker abandons the edit on the last. */
  maxReceiveCount: "RETOUCH_MAX_RECEIVE_COUNT",
  /**
   * The tokens' `iss` when it is not Cognito's own, e.g. cognito-local's in a local run of the
   * functions; the stack leaves it unset.
   */
  cognitoIssuer: "RETOUCH_COGNITO_ISSUER",
} as const;

/**
 * The custom metric the worker emits (Powertools Metrics, EMF) each time a Bedrock call fails,
 * and the alarm watches. Powertools adds the `service` dimension from `POWERTOOLS_SERVICE_NAME`,
 * so the alarm names it too.
 */
export const BEDROCK_FAILURES_METRIC = {
  namespace: "Retouch",
  metricName: "BedrockFailures",
  service: "retouch-worker",
} as const;

/** Metrics the worker emits per edit, next to `BEDROCK_FAILURES_METRIC` (same namespace and service). */
export const EDIT_METRICS = {
  succeeded: "EditsSucceeded",
  failed: "EditsFailed",
  abandoned: "EditsAbandoned",
} as const;

/** `POWERTOOLS_SERVICE_NAME` of the API function. */
export const API_SERVICE_NAME = "retouch-api";
