import type {
  BlobStore,
  EngineCapabilities,
  Identity,
  ImageEngine,
  JobQueue,
  MetadataStore,
} from "@retouch/core";
import type { Logger } from "./logger";

/** The engines the API may use, by id. */
export interface EngineCatalog {
  /** Throws `ValidationError` naming the known engines when `id` is unknown. */
  get(id: string): ImageEngine;
  list(): EngineCapabilities[];
}

/** Verifies and serves the signed blob URLs of a local blob store (absent on AWS, where S3 does it). */
export interface SignedBlobEndpoint {
  verifySignedUrl(
    method: "PUT" | "GET",
    key: string,
    query: URLSearchParams,
  ): { key: string; maxBytes: number | null; contentType: string | null; filename: string | null };
}

/** Sign-in routes and JWKS of the local identity (absent on AWS, where the SPA talks to Cognito). */
export interface LocalAuth {
  jwks(): Promise<{ keys: object[] }>;
}

export interface ApiSettings {
  maxUploadBytes: number;
  maxPixels: number;
  defaultEngine: string;
  corsOrigins: string[];
  uploadUrlTtlSeconds: number;
  downloadUrlTtlSeconds: number;
  version: string;
}

/**
 * Everything the API needs, injected by an entry point (the Node server or a Lambda handler).
 */
export interface ApiDependencies {
  settings: ApiSettings;
  metadata: MetadataStore;
  blobs: BlobStore;
  queue: JobQueue;
  identity: Identity;
  engines: EngineCatalog;
  logger: Logger;
  localAuth?: LocalAuth;
  signedBlobs?: SignedBlobEndpoint;
}

/** The intake limits of the imaging package, from the API's settings. */
export function intakeLimits(settings: ApiSettings): { maxBytes: number; maxPixels: number } {
  return { maxBytes: settings.maxUploadBytes, maxPixels: settings.maxPixels };
}
