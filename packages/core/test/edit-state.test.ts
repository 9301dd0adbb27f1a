import { describe, expect, it } from "vitest";
import {
  ConflictError,
  allowedSources,
  assertTransition,
  canTransition,
  isTerminal,
  type EditStatus,
} from "../src/index";

const ALL: EditStatus[] = ["queued", "running", "succeeded", "failed", "canceled"];

describe("edit state machine", () => {
  it("allows the job's life cycle", () => {
    // Prepare
    const legal: [EditStatus, EditStatus][] = [
      ["queued", "running"],
      ["running", "succeeded"],
      ["running", "failed"],
      ["running", "canceled"],
      ["queued", "canceled"],
      ["running", "queued"],
    ];
    // Act / Assess
    for (const [from, to] of legal) expect(() => assertTransition(from, to)).not.toThrow();
  });

  it("rejects every move out of a terminal status with 409", () => {
    for (const from of ALL.filter(isTerminal)) {
      for (const to of ALL) {
        // Act
        const attempt = () => assertTransition(from, to);
        // Assess
        expect(attempt).toThrow(ConflictError);
        expect(attempt).toThrow(`An edit cannot go from '${from}' to '${to}'`);
      }
    }
  });

  it("rejects skipping running", () => {
    expect(canTransition("queued", "succeeded")).toBe(false);
    expect(canTransition("running", "running")).toBe(false);
  });

  it("lists the sources of a status for conditional writes", () => {
    expect(allowedSources("canceled").sort()).toEqual(["queued", "running"]);
    expect(allowedSources("succeeded")).toEqual(["running"]);
  });
});
