import { describe, expect, it } from "vitest";
import type { EngineCapabilities } from "../src/api/types";
import {
  capabilitySummary,
  editParams,
  editProblems,
  fieldsFor,
  maskNote,
  promptNotice,
  type EditFormValues,
  type EditReadiness,
} from "../src/workspace/edit-form";

const engine = (overrides: Partial<EngineCapabilities>): EngineCapabilities => ({
  id: "e",
  label: "E",
  description: "",
  operations: ["inpaint"],
  usesPrompt: true,
  usesNegativePrompt: true,
  usesSeed: true,
  maxResults: 4,
  maxPixels: 4_000_000,
  maxSide: 4096,
  minSide: 64,
  ...overrides,
});

const stability = engine({
  id: "bedrock-stability",
  label: "Stability AI on Amazon Bedrock",
  operations: ["inpaint", "erase", "outpaint", "replace", "remove-background"],
});
const localFill = engine({
  id: "local-fill",
  label: "Local fill",
  operations: ["inpaint", "erase", "outpaint"],
  usesPrompt: false,
  usesNegativePrompt: false,
});
const localBg = engine({
  id: "local-bg",
  label: "Background removal",
  operations: ["remove-background"],
  usesPrompt: false,
  usesNegativePrompt: false,
  usesSeed: false,
  maxResults: 1,
});

const values = (overrides: Partial<EditFormValues> = {}): EditFormValues => ({
  operation: "inpaint",
  prompt: "",
  negativePrompt: "",
  searchPrompt: "",
  count: 1,
  seed: "",
  margins: { top: 0, right: 128, bottom: 0, left: 128 },
  ...overrides,
});
const ready: EditReadiness = { hasSource: true, sourceReady: true, maskEmpty: true, busy: false };

describe("edit form", () => {
  it("asks for a mask only for the operations that paint one", () => {
    // Act
    const inpaint = editProblems(stability, null, values({ prompt: "a pear" }), ready);
    const replace = editProblems(
      stability,
      null,
      values({ operation: "replace", prompt: "a pear", searchPrompt: "the apple" }),
      ready,
    );
    const removeBackground = editProblems(localBg, null, values({ operation: "remove-background" }), ready);
    // Assess
    expect(inpaint).toEqual(["Paint over the area to change with the brush or rectangle."]);
    expect(replace).toEqual([]);
    expect(removeBackground).toEqual([]);
    expect(maskNote("replace")).toBe("No mask needed: the engine finds what you name.");
    expect(maskNote("inpaint")).toBeNull();
  });

  it("asks replace for what to find and sends it as options.searchPrompt", () => {
    // Prepare
    const form = values({ operation: "replace", prompt: " a pear " });
    // Act
    const missing = editProblems(stability, null, form, ready);
    const params = editParams(stability, { ...form, searchPrompt: " the apple " });
    // Assess
    expect(fieldsFor(stability, "replace")).toMatchObject({
      mask: false,
      searchPrompt: true,
      prompt: "required",
    });
    expect(fieldsFor(stability, "inpaint").searchPrompt).toBe(false);
    expect(missing).toEqual(["Say what to replace."]);
    expect(params).toMatchObject({
      operation: "replace",
      prompt: "a pear",
      options: { searchPrompt: "the apple" },
    });
    expect(editParams(stability, values({ searchPrompt: "left over" })).options).toEqual({});
  });

  it("wants a prompt where the API does when the engine uses prompts", () => {
    // Act
    const bedrockInpaint = editProblems(stability, null, values(), { ...ready, maskEmpty: false });
    const localInpaint = editProblems(localFill, null, values(), { ...ready, maskEmpty: false });
    const bedrockErase = editProblems(stability, null, values({ operation: "erase" }), {
      ...ready,
      maskEmpty: false,
    });
    // Assess
    expect(bedrockInpaint).toEqual(["Describe what should be there."]);
    expect(localInpaint).toEqual([]);
    expect(bedrockErase).toEqual([]);
  });

  it("says why the prompt is off for the engine or the operation", () => {
    // Act / Assess
    expect(promptNotice(localFill, "inpaint")).toBe(
      "Local fill does not use the prompt: it fills from the surrounding pixels.",
    );
    expect(promptNotice(localBg, "remove-background")).toBe("Background removal does not use the prompt.");
    expect(promptNotice(stability, "remove-background")).toBe("Remove background does not use the prompt.");
    expect(promptNotice(stability, "inpaint")).toBeNull();
    expect(fieldsFor(stability, "remove-background")).toMatchObject({
      prompt: "unused",
      negativePrompt: false,
    });
  });

  it("sends only what the operation reads", () => {
    // Prepare
    const form = values({
      operation: "remove-background",
      prompt: "ignored",
      negativePrompt: "ignored too",
      seed: "42",
    });
    // Act
    const bedrock = editParams(stability, form);
    const local = editParams(localBg, form);
    // Assess
    expect(bedrock).toEqual({
      engine: "bedrock-stability",
      operation: "remove-background",
      prompt: "",
      negativePrompt: "",
      count: 1,
      seed: 42,
      margins: null,
      aspectRatio: null,
      options: {},
    });
    expect(local.seed).toBeNull(); // local-bg has no seed
  });

  it("checks the seed and the margins", () => {
    // Act
    const badSeed = editProblems(localFill, null, values({ seed: "99999999999" }), {
      ...ready,
      maskEmpty: false,
    });
    const noMargins = editProblems(
      localFill,
      null,
      values({ operation: "outpaint", margins: { top: 0, right: 0, bottom: 0, left: 0 } }),
      ready,
    );
    // Assess
    expect(badSeed).toEqual(["The seed must be a whole number from 0 to 4294967295."]);
    expect(noMargins).toEqual(["Set at least one margin above 0."]);
  });

  it("sends an aspect ratio instead of the margins when one is chosen for outpaint", () => {
    // Prepare
    const zero = { top: 0, right: 0, bottom: 0, left: 0 };
    const ratio = values({ operation: "outpaint", margins: zero, aspectRatio: "16:9" });
    // Act
    const params = editParams(localFill, ratio);
    const problems = editProblems(localFill, null, ratio, ready);
    const inpaint = editParams(localFill, values({ aspectRatio: "16:9" }));
    // Assess
    expect([params.margins, params.aspectRatio]).toEqual([null, "16:9"]);
    expect(problems).toEqual([]);
    expect([inpaint.margins, inpaint.aspectRatio]).toEqual([null, null]);
  });

  it("sums up each engine for the picker", () => {
    // Act / Assess
    expect(capabilitySummary(stability)).toEqual([
      "Inpaint, Erase, Outpaint, Replace, Remove background",
      "Uses the prompt",
      "Up to 4 results",
    ]);
    expect(capabilitySummary(localBg)).toEqual([
      "Remove background",
      "Does not use the prompt",
      "1 result per edit",
    ]);
  });

  it("lets an engine that finds areas from words take a description instead of a painted mask", () => {
    // Prepare
    const nova = engine({ id: "bedrock-nova-canvas", operations: ["inpaint", "erase"], maskPrompt: true });
    const described = values({ prompt: "a red door", maskPrompt: "  the blue door " });
    // Act
    const novaFields = fieldsFor(nova, "inpaint");
    const stabilityFields = fieldsFor(stability, "inpaint");
    const unpainted = editProblems(nova, null, values({ prompt: "a red door" }), ready);
    const withWords = editProblems(nova, null, described, ready);
    const elsewhere = editProblems(stability, null, described, ready);
    // Assess
    expect(novaFields.maskPrompt).toBe(true);
    expect(stabilityFields.maskPrompt).toBe(false);
    expect(unpainted).toContain("Paint over the area to change with the brush or rectangle.");
    expect(withWords).toEqual([]);
    expect(elsewhere).toContain("Paint over the area to change with the brush or rectangle.");
    expect(editParams(nova, described).options).toEqual({ maskPrompt: "the blue door" });
    expect(editParams(stability, described).options).toEqual({});
  });
});
