import { describe, expect, it } from "vitest";
import { ValidationError } from "@retouch/core";
import { createDefaultLocalEngines, createEngineRegistry, createFastMarchingEngine } from "@retouch/engines";

describe("createEngineRegistry", () => {
  it("finds, lists and knows the default local engines", () => {
    // Prepare
    const registry = createEngineRegistry(createDefaultLocalEngines());

    // Act
    const engine = registry.get("local-fill");

    // Assess
    expect(engine.capabilities.id).toBe("local-fill");
    expect(registry.list().map((caps) => caps.id)).toEqual(["local-fill", "local-fill-fast"]);
    expect([registry.has("local-fill"), registry.has("nope")]).toEqual([true, false]);
  });

  it("refuses an unknown engine with a 400 naming the available ones", () => {
    // Prepare
    const registry = createEngineRegistry([createFastMarchingEngine()]);

    // Act
    const attempt = () => registry.get("x");

    // Assess
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow("Unknown engine 'x'; available: local-fill-fast");
  });

  it("refuses two engines with one id", () => {
    // Prepare
    const engines = [createFastMarchingEngine(), createFastMarchingEngine()];

    // Act
    const attempt = () => createEngineRegistry(engines);

    // Assess
    expect(attempt).toThrow("Two engines share the id 'local-fill-fast'");
  });
});
