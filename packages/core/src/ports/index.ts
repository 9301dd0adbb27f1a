export type * from "./blob-store";
export type * from "./identity";
export type * from "./image-engine";
export type * from "./job-queue";
export type * from "./metadata-store";
