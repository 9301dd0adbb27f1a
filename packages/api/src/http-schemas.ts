import { z } from "@hono/zod-openapi";
import {
  CreateEditRequestSchema,
  EditRecordSchema,
  EngineCapabilitiesSchema,
  IdSchema,
  ImageRecordSchema,
} from "@retouch/core";

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi("Error");

export const SignedRequestSchema = z
  .object({
    url: z.string(),
    method: z.enum(["PUT", "GET"]),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  })
  .openapi("SignedRequest");

/**
 * Core's schemas were built before `@hono/zod-openapi` extended zod, so they lack `.openapi()`;
 * a clone made now has it.
 */
const named = <T extends z.ZodType>(schema: T, name: string): T => (schema.clone() as T).openapi(name);

export const ImageSchema = named(ImageRecordSchema.omit({ key: true }), "Image");
export const EditSchema = named(EditRecordSchema, "Edit");
export const EngineSchema = named(EngineCapabilitiesSchema, "Engine");
export const CreateEditSchema = named(CreateEditRequestSchema, "CreateEditRequest");

export const ImageLinkSchema = z
  .object({
    imageId: z.string(),
    url: z.string(),
    width: z.number().nullable(),
    height: z.number().nullable(),
    expiresAt: z.string(),
  })
  .openapi("ImageLink");

export const EditViewSchema = z
  .object({ edit: EditSchema, source: ImageLinkSchema.nullable(), results: z.array(ImageLinkSchema) })
  .openapi("EditView");

export const IdParamSchema = z.object({
  id: IdSchema.clone().openapi({ param: { name: "id", in: "path" }, example: "edt_0f3c…" }),
});

export const CreateImageSchema = z
  .object({
    purpose: z.enum(["source", "mask"]).default("source"),
    contentType: z.enum(["image/png", "image/jpeg", "image/webp"], {
      error: "contentType must be image/png, image/jpeg or image/webp",
    }),
  })
  .openapi("CreateImageRequest");

export const TokensSchema = z
  .object({
    accessToken: z.string(),
    idToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number(),
    tokenType: z.literal("Bearer"),
  })
  .openapi("Tokens");

export const SignInResponseSchema = z
  .union([
    z.object({ tokens: TokensSchema }),
    z.object({
      challenge: z.literal("NEW_PASSWORD_REQUIRED"),
      session: z.string(),
      username: z.string(),
    }),
  ])
  .openapi("SignInResponse");

/** Standard error responses, by status, for route definitions. */
export function errorResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: "Invalid request",
    401: "Missing or invalid credentials",
    403: "Forbidden",
    404: "Not found (also another user's resource)",
    409: "Conflict with the resource's state",
    413: "Too large",
    415: "Not an accepted image format",
    422: "The engine refused the request",
    429: "Too many requests",
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? "Error",
        content: { "application/json": { schema: ErrorSchema } },
      },
    ]),
  );
}

/** A JSON response of `schema` for route definitions. */
export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}
