import { describe, expect, it } from "vitest";
import { ValidationError, loadConfig, publicUrlOf } from "../src/index";

describe("loadConfig", () => {
  it("gives the documented defaults", () => {
    // Act
    const config = loadConfig({});
    // Assess
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8787,
      dataDir: ".retouch-data",
      maxUploadBytes: 25 * 1024 * 1024,
      maxPixels: 40_000_000,
      defaultEngine: "local-fill",
      corsOrigins: [],
    });
    expect(publicUrlOf(config)).toBe("http://localhost:8787");
  });

  it("reads RETOUCH_* variables and lets overrides win", () => {
    // Prepare
    const env = {
      RETOUCH_PORT: "9000",
      RETOUCH_CORS_ORIGINS: "http://a.test, http://b.test",
      RETOUCH_DATA_DIR: "/tmp/x",
    };
    // Act
    const config = loadConfig(env, { port: 9100 });
    // Assess
    expect(config.port).toBe(9100);
    expect(config.corsOrigins).toEqual(["http://a.test", "http://b.test"]);
    expect(config.dataDir).toBe("/tmp/x");
  });

  it("names every bad variable and why", () => {
    // Prepare
    const env = { RETOUCH_PORT: "eighty", RETOUCH_MAX_PIXELS: "-1", RETOUCH_LOG_LEVEL: "loud" };
    // Act
    const attempt = () => loadConfig(env);
    // Assess
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("RETOUCH_PORT");
      expect(message).toContain("RETOUCH_MAX_PIXELS");
      expect(message).toContain("RETOUCH_LOG_LEVEL");
    }
  });

  it("names a bad flag as a flag", () => {
    expect(() => loadConfig({}, { port: "x" })).toThrow(/--port/);
  });
});
