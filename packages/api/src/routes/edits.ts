import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import {
  CreateEditSchema,
  EditSchema,
  EditViewSchema,
  IdParamSchema,
  errorResponses,
  jsonContent,
} from "../http-schemas";
import type { EditService } from "../services/edit-service";

const create = createRoute({
  method: "post",
  path: "/edits",
  tags: ["edits"],
  summary: "Start an edit job",
  description:
    "Validates the request against the engine's capabilities and answers 202 at once; poll `GET /edits/{id}` for progress and results.",
  security: [{ bearerAuth: [] }],
  request: { body: { content: { "application/json": { schema: CreateEditSchema } }, required: true } },
  responses: {
    202: jsonContent(z.object({ edit: EditSchema }), "Queued"),
    ...errorResponses(400, 401, 404, 409, 413, 415, 422),
  },
});

const list = createRoute({
  method: "get",
  path: "/edits",
  tags: ["edits"],
  summary: "The signed-in user's edits, newest first",
  security: [{ bearerAuth: [] }],
  request: {
    query: z.object({
      cursor: z.string().max(512).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({ items: z.array(EditViewSchema), nextCursor: z.string().nullable() }),
      "A page of edits",
    ),
    ...errorResponses(400, 401),
  },
});

const get = createRoute({
  method: "get",
  path: "/edits/{id}",
  tags: ["edits"],
  summary: "An edit's status, progress, error and result links",
  security: [{ bearerAuth: [] }],
  request: { params: IdParamSchema },
  responses: { 200: jsonContent(EditViewSchema, "The edit"), ...errorResponses(401, 404) },
});

const cancel = createRoute({
  method: "post",
  path: "/edits/{id}/cancel",
  tags: ["edits"],
  summary: "Cancel a queued or running edit",
  security: [{ bearerAuth: [] }],
  request: { params: IdParamSchema },
  responses: {
    200: jsonContent(z.object({ edit: EditSchema }), "The edit after cancellation"),
    ...errorResponses(401, 404),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/edits/{id}",
  tags: ["edits"],
  summary: "Delete an edit and its results (cancels it first if needed)",
  security: [{ bearerAuth: [] }],
  request: { params: IdParamSchema },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 404) },
});

/** The edit routes. */
export function registerEditRoutes(app: OpenAPIHono<AppEnv>, edits: EditService) {
  app.openapi(create, async (c) => {
    const edit = await edits.create(c.get("principal").userId, c.req.valid("json"));
    return c.json({ edit }, 202);
  });
  app.openapi(list, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    return c.json(await edits.list(c.get("principal").userId, { cursor: cursor ?? null, limit }), 200);
  });
  app.openapi(get, async (c) => {
    const edit = await edits.owned(c.get("principal").userId, c.req.valid("param").id);
    return c.json(await edits.view(edit), 200);
  });
  app.openapi(cancel, async (c) => {
    const edit = await edits.cancel(c.get("principal").userId, c.req.valid("param").id);
    return c.json({ edit }, 200);
  });
  app.openapi(remove, async (c) => {
    await edits.delete(c.get("principal").userId, c.req.valid("param").id);
    return c.body(null, 204);
  });
}
