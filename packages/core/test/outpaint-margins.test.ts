import { describe, expect, it } from "vitest";
import {
  CreateEditRequestSchema,
  outpaintMarginsForAspectRatio,
  parseAspectRatio,
  ValidationError,
} from "../src/index";

describe("outpaint margins for an aspect ratio", () => {
  it("widens a square to 16:9, centred, the odd pixel on the right", () => {
    // Act
    const margins = outpaintMarginsForAspectRatio(600, 600, "16:9");
    // Assess
    expect(margins).toEqual({ top: 0, right: 234, bottom: 0, left: 233 });
    expect((600 + margins.left + margins.right) / 600).toBeCloseTo(16 / 9, 2);
  });

  it("heightens a landscape photo to 4:5, the odd pixel at the bottom", () => {
    expect(outpaintMarginsForAspectRatio(1000, 500, "4:5")).toEqual({
      top: 375,
      right: 0,
      bottom: 375,
      left: 0,
    });
    expect(outpaintMarginsForAspectRatio(512, 480, "1:1")).toEqual({
      top: 16,
      right: 0,
      bottom: 16,
      left: 0,
    });
    expect(outpaintMarginsForAspectRatio(101, 100, "1:1")).toEqual({ top: 0, right: 0, bottom: 1, left: 0 });
  });

  it("refuses a ratio the image already has, one that needs over 4096 px a side, and bad text", () => {
    // Act / Assess
    expect(() => outpaintMarginsForAspectRatio(1600, 900, "16:9")).toThrow(
      /already has the aspect ratio 16:9/,
    );
    expect(() => outpaintMarginsForAspectRatio(100, 4000, "100:1")).toThrow(
      /more than 4096 pixels on a side/,
    );
    for (const bad of ["16x9", "0:1", "1:0", "16:9:1", "-1:2", "1.5:1", "101:1", ""]) {
      expect(() => parseAspectRatio(bad)).toThrow(ValidationError);
    }
  });

  it("is accepted by POST /edits' schema only in the width:height form", () => {
    // Prepare
    const base = { operation: "outpaint", imageId: "img_1" };
    // Act / Assess
    expect(CreateEditRequestSchema.parse({ ...base, aspectRatio: " 3:2 " }).aspectRatio).toBe("3:2");
    expect(CreateEditRequestSchema.safeParse({ ...base, aspectRatio: "wide" }).success).toBe(false);
  });
});
