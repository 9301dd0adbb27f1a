import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import {
  CreateImageSchema,
  IdParamSchema,
  ImageSchema,
  SignedRequestSchema,
  errorResponses,
  jsonContent,
} from "../http-schemas";
import type { ImageService } from "../services/image-service";
import type { ImageRecord } from "@retouch/core";

const reserve = createRoute({
  method: "post",
  path: "/images",
  tags: ["images"],
  summary: "Reserve an image and get a signed upload request",
  description:
    "Send the bytes with the returned `upload` request (method, URL, headers), then call `/images/{id}/complete`.",
  security: [{ bearerAuth: [] }],
  request: { body: { content: { "application/json": { schema: CreateImageSchema } }, required: true } },
  responses: {
    201: jsonContent(z.object({ image: ImageSchema, upload: SignedRequestSchema }), "Reserved"),
    ...errorResponses(400, 401),
  },
});

const complete = createRoute({
  method: "post",
  path: "/images/{id}/complete",
  tags: ["images"],
  summary: "Validate the uploaded bytes and record the image",
  description:
    "Accepts PNG, JPEG and WebP within the byte and pixel limits; applies EXIF orientation and strips metadata. A rejected upload is deleted with its record.",
  security: [{ bearerAuth: [] }],
  request: { params: IdParamSchema },
  responses: {
    200: jsonContent(z.object({ image: ImageSchema }), "The image is ready"),
    ...errorResponses(401, 404, 409, 413, 415),
  },
});

const get = createRoute({
  method: "get",
  path: "/images/{id}",
  tags: ["images"],
  summary: "Image metadata and a short-lived download URL",
  security: [{ bearerAuth: [] }],
  request: { params: IdParamSchema },
  responses: {
    200: jsonContent(z.object({ image: ImageSchema, download: SignedRequestSchema }), "The image"),
    ...errorResponses(401, 404, 409),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/images/{id}",
  tags: ["images"],
  summary: "Delete an image",
  security: [{ bearerAuth: [] }],
  request: { params: IdParamSchema },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 404) },
});

/** Images never expose their storage key. */
const publicImage = ({ key: _key, ...image }: ImageRecord) => image;

/** `POST /images`, `POST /images/{id}/complete`, `GET /images/{id}`, `DELETE /images/{id}`. */
export function registerImageRoutes(app: OpenAPIHono<AppEnv>, images: ImageService) {
  app.openapi(reserve, async (c) => {
    const { image, upload } = await images.reserve(c.get("principal").userId, c.req.valid("json"));
    return c.json({ image: publicImage(image), upload }, 201);
  });
  app.openapi(complete, async (c) => {
    const image = await images.complete(c.get("principal").userId, c.req.valid("param").id);
    return c.json({ image: publicImage(image) }, 200);
  });
  app.openapi(get, async (c) => {
    const { image, download } = await images.download(c.get("principal").userId, c.req.valid("param").id);
    return c.json({ image: publicImage(image), download }, 200);
  });
  app.openapi(remove, async (c) => {
    await images.delete(c.get("principal").userId, c.req.valid("param").id);
    return c.body(null, 204);
  });
}
