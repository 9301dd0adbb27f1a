import { describe, expect, it } from "vitest";
import { ValidationError } from "@retouch/core";
import { createDefaultLocalEngines, createEngineRegistry, createLocalFillEngine } from "@retouch/engines";

describe("createEngineRegistry", () => {
  it("finds, lists and knows the default local engines", () => {
    // Prepare
    const registry = createEngineRegistry(createDefaultLocalEngines());

    // Act
    const engine = registry.get("local-fill");

    // Assess
    expect(engine.capabilities.id).toBe("local-fill");
    expect(registry.list().map((caps) => caps.id)).toEqual(["local-fill", "local-content-fill"]);
    expect([registry.has("local-fill"), registry.has("nope")]).toEqual([true, false]);
  });

  it("refuses an unknown engine with a 400 naming the available ones", () => {
    // Prepare
    const registry = createEngineRegistry([createLocalFillEngine()]);

    // Act
    const attempt = () => registry.get("x");

    // Assess
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow("Unknown engine 'x'; available: local-fill");
  });

  it("refuses two engines with one id", () => {
    // Prepare
    const engines = [createLocalFillEngine(), createLocalFillEngine()];

    // Act
    const attempt = () => createEngineRegistry(engines);

    // Assess
    expect(attempt).toThrow("Two engines share the id 'local-fill'");
  });
});
