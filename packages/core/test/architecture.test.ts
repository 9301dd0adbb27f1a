import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

describe("core stays free of I/O", () => {
  it("imports nothing but zod and its own modules", async () => {
    // Prepare
    const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith(".ts"));
    // Act
    const imports = await Promise.all(
      files.map(async (file) => {
        const text = await readFile(join(SRC, file), "utf8");
        return [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => ({ file, module: m[1]! }));
      }),
    );
    // Assess
    const foreign = imports.flat().filter(({ module }) => module !== "zod" && !module.startsWith("."));
    expect(files.length).toBeGreaterThan(5);
    expect(foreign).toEqual([]);
  });
});
