import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./support/local-server";

describe("OpenAPI document, docs page and HTTP hygiene", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    server = await startTestServer({ corsOrigins: "http://editor.example" });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("describes every route in OpenAPI 3.1", async () => {
    // Act
    const response = await fetch(`${server.url}/api/openapi.json`);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    // Assess
    expect(response.status).toBe(200);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/.well-known/jwks.json",
        "/auth/login",
        "/auth/new-password",
        "/auth/refresh",
        "/edits",
        "/edits/{id}",
        "/edits/{id}/cancel",
        "/engines",
        "/health",
        "/images",
        "/images/{id}",
        "/images/{id}/complete",
      ].sort(),
    );
    expect(doc.paths["/edits"]!.post!.responses["202"]).toBeDefined();
    expect(doc.paths["/edits"]!.post!.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Edit", "Image", "Engine", "Error", "CreateEditRequest", "SignedRequest"]),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("serves the docs page and its assets from the package, not a CDN", async () => {
    // Act
    const page = await fetch(`${server.url}/api/docs`);
    const html = await page.text();
    const bundle = await fetch(`${server.url}/api/docs/swagger-ui-bundle.js`);
    // Assess
    expect(page.status).toBe(200);
    expect(html).toContain("swagger-ui");
    expect(html).not.toMatch(/https?:\/\//);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
  });

  it("sets security headers and a request id on every response", async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(response.headers.get("x-request-id")).toMatch(/\S+/);
  });

  it("answers CORS preflight for a configured origin only", async () => {
    // Act
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/edits`, {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,content-type",
        },
      });
    const allowed = await preflight("http://editor.example");
    const refused = await preflight("http://evil.example");
    // Assess
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://editor.example");
    expect(allowed.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("lets any origin follow a signed blob URL, as with S3 presigned URLs", async () => {
    // Act
    const preflight = await fetch(`${server.url}/api/blobs/users/u1/source/img_x?sig=x`, {
      method: "OPTIONS",
      headers: { Origin: "http://127.0.0.1:8787", "Access-Control-Request-Method": "PUT" },
    });
    // Assess
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:8787");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
  });

  it("serves the runtime config.js for the web editor", async () => {
    const response = await fetch(`${server.url}/config.js`);
    expect(response.headers.get("content-type")).toContain("javascript");
    expect(await response.text()).toBe('window.config = {"auth":"local","invokeUrl":"/api"};\n');
  });
});
