export * from "./errors";
export * from "./schemas";
export * from "./outpaint-margins";
export * from "./edit-state";
export * from "./password-policy";
export * from "./config";
export * from "./keys";
export * from "./job-interrupted";
export type * from "./ports/index";
