import { expect } from "vitest";

/** A tiny HTTP client for tests: real `fetch` against the real server. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    public token: string | null = null,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: response.status, headers: response.headers, json };
  }

  /** Signs in, answering the first-login challenge when `newPassword` is given. */
  async signIn(username: string, password: string, newPassword?: string): Promise<void> {
    const login = await this.request("POST", "/auth/login", { username, password });
    expect(login.status, JSON.stringify(login.json)).toBe(200);
    if (login.json.tokens) {
      this.token = login.json.tokens.accessToken;
      return;
    }
    expect(login.json.challenge).toBe("NEW_PASSWORD_REQUIRED");
    const changed = await this.request("POST", "/auth/new-password", {
      username,
      session: login.json.session,
      newPassword,
    });
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);
    this.token = changed.json.tokens.accessToken;
  }

  /** Reserve → signed PUT → complete. Returns the complete call's response. */
  async upload(bytes: Uint8Array, contentType: string, purpose: "source" | "mask" = "source") {
    const reserved = await this.request("POST", "/images", { purpose, contentType });
    expect(reserved.status, JSON.stringify(reserved.json)).toBe(201);
    const { upload, image } = reserved.json;
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes });
    expect(put.status).toBe(200);
    const completed = await this.request("POST", `/images/${image.id}/complete`);
    return { imageId: image.id as string, ...completed };
  }

  /** Polls an edit until it leaves queued/running. */
  async waitForEdit(id: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await this.request("GET", `/edits/${id}`);
      expect(got.status).toBe(200);
      if (!["queued", "running"].includes(got.json.edit.status)) return got.json;
      if (Date.now() > deadline)
        throw new Error(`edit ${id} still ${got.json.edit.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
