import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../src/api/client";
import { ApiError } from "../src/api/http";
import { LocalAuthProvider, type SessionStorageLike } from "../src/auth/local-auth-provider";
import { ADMIN_PASSWORD, ADMIN_TEMPORARY_PASSWORD, startServer } from "./e2e/support";

class MemoryStorage implements SessionStorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

/** The local auth provider and API client against the real local server. */
describe("LocalAuthProvider over HTTP", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let invokeUrl: string;

  beforeAll(async () => {
    server = await startServer();
    invokeUrl = `${server.url}/api`;
  });
  afterAll(async () => {
    await server.stop();
  });

  it("refuses a wrong password with 401", async () => {
    const auth = new LocalAuthProvider(invokeUrl, new MemoryStorage());
    const error = await auth.signIn("admin", "Wrong-Passw0rd!").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(auth.currentUser()).toBeNull();
  });

  it("answers the new-password challenge, keeps the session in storage and refreshes before expiry", async () => {
    // Prepare
    const storage = new MemoryStorage();
    let clock = Date.now();
    const auth = new LocalAuthProvider(invokeUrl, storage, () => clock);
    const changes: (string | null)[] = [];
    auth.subscribe(() => changes.push(auth.currentUser()?.username ?? null));
    // Act: the challenge, a weak password, then a good one
    const first = await auth.signIn("admin", ADMIN_TEMPORARY_PASSWORD);
    if (!("challenge" in first)) throw new Error("expected the NEW_PASSWORD_REQUIRED challenge");
    const weak = await auth.completeNewPassword(first, "password").catch((e: unknown) => e);
    expect((weak as ApiError).status).toBe(400);
    expect((weak as ApiError).message).toMatch(/uppercase/);
    const tokens = await auth.completeNewPassword(first, ADMIN_PASSWORD);
    // Assess: signed in, stored, no refresh needed yet
    expect(changes).toEqual(["admin"]);
    expect(await auth.getAccessToken()).toBe(tokens.accessToken);
    const stored = JSON.parse(storage.getItem("retouch.session")!);
    expect(stored).toMatchObject({ username: "admin", refreshToken: tokens.refreshToken });
    // A second provider on the same storage (a reload of the tab) is signed in too
    expect(new LocalAuthProvider(invokeUrl, storage).currentUser()).toEqual({ username: "admin" });
    // Act: 30 s before expiry the token is refreshed silently
    clock += tokens.expiresIn * 1000 - 30_000;
    const refreshed = await auth.getAccessToken();
    // Assess
    expect(refreshed).toBeTruthy();
    const after = JSON.parse(storage.getItem("retouch.session")!);
    expect(after.expiresAt).toBe(clock + tokens.expiresIn * 1000);
    const api = new ApiClient(invokeUrl, auth);
    expect((await api.engines()).engines.map((e) => e.id)).toContain("local-fill");
  });

  it("retries once after a 401 by refreshing, and signs out when the refresh is refused", async () => {
    // Prepare: a session whose access token the server does not accept
    const storage = new MemoryStorage();
    const auth = new LocalAuthProvider(invokeUrl, storage);
    await auth.signIn("admin", ADMIN_PASSWORD);
    const session = JSON.parse(storage.getItem("retouch.session")!);
    storage.setItem("retouch.session", JSON.stringify({ ...session, accessToken: "not-a-token" }));
    const reloaded = new LocalAuthProvider(invokeUrl, storage);
    const api = new ApiClient(invokeUrl, reloaded);
    // Act / Assess: the call still works
    expect((await api.listEdits()).items).toEqual([]);
    // Act: now the refresh token is bad too
    const current = JSON.parse(storage.getItem("retouch.session")!);
    storage.setItem(
      "retouch.session",
      JSON.stringify({ ...current, accessToken: "not-a-token", refreshToken: "not-a-refresh-token" }),
    );
    const broken = new LocalAuthProvider(invokeUrl, storage);
    let signedOut = false;
    broken.subscribe(() => (signedOut = broken.currentUser() === null));
    const error = await new ApiClient(invokeUrl, broken).listEdits().catch((e: unknown) => e);
    // Assess
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).message).toBe("Your session has expired. Sign in again.");
    expect(signedOut).toBe(true);
    expect(storage.getItem("retouch.session")).toBeNull();
  });
});
