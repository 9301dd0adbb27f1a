export { RetouchStack, type RetouchStackProps, API_ENTRY, WORKER_ENTRY } from "./retouch-stack";
export { buildApp } from "./app";
export { DEFAULT_BEDROCK_MODEL_IDS, MAX_RECEIVE_COUNT, modelInvokeArns } from "./jobs";
export { ENV, BEDROCK_FAILURES_METRIC, API_SERVICE_NAME } from "./environment";
export { AMPLIFY_BRANCH } from "./hosting";
export { HISTORY_INDEX_NAME } from "./data";
