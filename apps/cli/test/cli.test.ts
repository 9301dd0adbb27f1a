import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { photoPath } from "../../../test/photos";

const CLI = fileURLToPath(new URL("../bin/retouch.js", import.meta.url));
const PHOTO = photoPath("fruits.jpg");

async function retouch(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function pixels(path: string) {
  const { data, info } = await sharp(path).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const RECT = { left: 180, top: 150, width: 120, height: 90 };

type Pixels = Awaited<ReturnType<typeof pixels>>;

/** How many pixels differ inside and outside `RECT` (the painted mask) between two images. */
function changedAroundRect(input: Pixels, output: Pixels) {
  let outside = 0;
  let inside = 0;
  for (let y = 0; y < input.height; y++) {
    for (let x = 0; x < input.width; x++) {
      const i = (y * input.width + x) * 4;
      const differs = [0, 1, 2, 3].some((c) => input.data[i + c] !== output.data[i + c]);
      const masked =
        x >= RECT.left && x < RECT.left + RECT.width && y >= RECT.top && y < RECT.top + RECT.height;
      if (differs && masked) inside++;
      if (differs && !masked) outside++;
    }
  }
  return { inside, outside };
}

/** Writes the 512×480 mask of `RECT` into `dir`. */
async function writeRectMask(dir: string): Promise<string> {
  const raw = Buffer.alloc(512 * 480);
  for (let y = RECT.top; y < RECT.top + RECT.height; y++)
    raw.fill(255, y * 512 + RECT.left, y * 512 + RECT.left + RECT.width);
  const path = join(dir, "mask.png");
  await sharp(raw, { raw: { width: 512, height: 480, channels: 1 } })
    .png()
    .toFile(path);
  return path;
}

describe("retouch CLI", () => {
  let dir: string;
  let mask: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "retouch-cli-"));
    mask = await writeRectMask(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("edit fills the masked area of a real photo and leaves every other pixel as it was", async () => {
    // Prepare
    const out = join(dir, "filled.png");
    // Act
    const run = await retouch([
      "edit",
      "--image",
      PHOTO,
      "--mask",
      mask,
      "--operation",
      "inpaint",
      "--engine",
      "local-fill",
      "--seed",
      "3",
      "--out",
      out,
    ]);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/progress 100%/);
    const [input, output] = await Promise.all([pixels(PHOTO), pixels(out)]);
    expect([output.width, output.height]).toEqual([input.width, input.height]);
    const { inside, outside } = changedAroundRect(input, output);
    expect(outside).toBe(0);
    expect(inside).toBeGreaterThan(RECT.width * RECT.height * 0.5);
  });

  it("edit --count 2 --json writes numbered, different results and a JSON summary", async () => {
    // Act
    const run = await retouch([
      "edit",
      "-i",
      PHOTO,
      "-m",
      mask,
      "--operation",
      "erase",
      "-n",
      "2",
      "--seed",
      "9",
      "-o",
      join(dir, "v.png"),
      "--json",
    ]);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.outputs).toEqual([join(dir, "v-1.png"), join(dir, "v-2.png")]);
    expect(summary).toMatchObject({
      engine: "local-fill",
      operation: "erase",
      seed: 9,
      width: 512,
      height: 480,
    });
    const [a, b] = await Promise.all(summary.outputs.map((p: string) => readFile(p)));
    expect(Buffer.compare(a!, b!)).not.toBe(0);
  });

  it.each([
    [
      ["edit", "-i", PHOTO, "-m", "x.png", "-o", "y.png", "--count", "abc"],
      2,
      /--count must be a whole number/,
    ],
    [["edit", "-i", PHOTO, "-o", "y.png", "--bogus"], 2, /unknown option '--bogus'/],
    [["edit", "-i", PHOTO, "-o", "y.png", "--operation", "sharpen"], 2, /--operation must be one of/],
    [["edit", "-i", "/nonexistent/photo.jpg", "-o", "y.png"], 1, /No such file: \/nonexistent\/photo.jpg/],
    [
      ["edit", "-i", PHOTO, "-m", PHOTO, "-o", "y.png", "--operation", "replace"],
      1,
      /does not support 'replace'/,
    ],
    [
      ["edit", "-i", PHOTO, "-o", "y.png", "--operation", "outpaint", "--aspect-ratio", "wide"],
      2,
      /--aspect-ratio: aspectRatio must be two whole numbers/,
    ],
    [
      [
        "edit",
        "-i",
        PHOTO,
        "-o",
        "y.png",
        "--operation",
        "outpaint",
        "--aspect-ratio",
        "1:1",
        "--margins",
        "0,8,0,8",
      ],
      2,
      /--margins and --aspect-ratio cannot be used together/,
    ],
    [["frobnicate"], 2, /unknown command 'frobnicate'/],
  ])("%j exits %i with one clear line", async (args, code, message) => {
    // Act
    const run = await retouch(args as string[]);
    // Assess
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message as RegExp);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\s+at\s/); // no stack trace
  });

  it("edit --aspect-ratio 16:9 outpaints the photo, centred, to that ratio and keeps the photo's pixels", async () => {
    // Prepare
    const out = join(dir, "wide.png");
    // Act
    const run = await retouch([
      "edit",
      "-i",
      PHOTO,
      "--operation",
      "outpaint",
      "--aspect-ratio",
      "16:9",
      "--engine",
      "local-fill-fast",
      "-o",
      out,
    ]);
    // Assess: 512×480 grows to 853×480, 170 px on the left and 171 on the right
    expect(run.code, run.stderr).toBe(0);
    const [input, output] = await Promise.all([pixels(PHOTO), pixels(out)]);
    expect([output.width, output.height]).toEqual([853, 480]);
    let changed = 0;
    for (let y = 0; y < input.height; y++) {
      for (let x = 0; x < input.width; x++) {
        const i = (y * input.width + x) * 4;
        const o = (y * output.width + x + 170) * 4;
        if ([0, 1, 2, 3].some((c) => input.data[i + c] !== output.data[o + c])) changed++;
      }
    }
    expect(changed).toBe(0);
  });

  it("edit refuses a file that is not an image, and a mask of the wrong size", async () => {
    // Prepare
    const text = join(dir, "notes.png");
    await writeFile(text, "just text");
    const small = join(dir, "small-mask.png");
    await sharp({ create: { width: 10, height: 10, channels: 3, background: "white" } })
      .png()
      .toFile(small);
    // Act
    const notImage = await retouch(["edit", "-i", text, "-m", mask, "-o", join(dir, "n.png")]);
    const wrongSize = await retouch(["edit", "-i", PHOTO, "-m", small, "-o", join(dir, "n.png")]);
    // Assess
    expect(notImage.code).toBe(1);
    expect(notImage.stderr).toMatch(/not a PNG, JPEG or WebP/i);
    expect(wrongSize.code).toBe(1);
    expect(wrongSize.stderr).toMatch(/10×10.*512×480/);
  });

  it("manages users: add, list, reset-password, remove", async () => {
    // Prepare
    const data = ["--data-dir", join(dir, "data")];
    // Act
    const added = await retouch(["users", "add", "dana", "--email", "dana@example.com", ...data]);
    const listed = await retouch(["users", "list", "--json", ...data]);
    const reset = await retouch([
      "users",
      "reset-password",
      "dana",
      "--temporary-password",
      "Fresh-Temp-9!",
      ...data,
    ]);
    const duplicate = await retouch(["users", "add", "dana", ...data]);
    const removed = await retouch(["users", "remove", "dana", ...data]);
    const after = await retouch(["users", "list", ...data]);
    // Assess
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/Temporary password for 'dana': \S{8,}/);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { username: "dana", email: "dana@example.com", status: "FORCE_CHANGE_PASSWORD" },
    ]);
    expect(listed.stdout).not.toMatch(/hash|scrypt/i);
    expect(reset.stdout).toContain("Fresh-Temp-9!");
    expect(duplicate.code).toBe(1);
    expect(removed.code).toBe(0);
    expect(after.stdout).toBe("No users.\n");
  });

  it("engines lists local-fill and says it does not use the prompt", async () => {
    const run = await retouch(["engines", "--json"]);
    expect(run.code).toBe(0);
    const engines = JSON.parse(run.stdout);
    expect(engines[0]).toMatchObject({ id: "local-fill", usesPrompt: false });
    expect(engines[0].operations).toContain("inpaint");
  });
});

describe("retouch CLI with the Bedrock emulator", () => {
  let dir: string;
  let mask: string;
  let emulator: BedrockEmulator;
  let awsEnv: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "retouch-cli-bedrock-"));
    mask = await writeRectMask(dir);
    emulator = await startBedrockEmulator();
    awsEnv = {
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulator.url,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
    };
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("edit --engine bedrock-stability erases through the emulator and keeps pixels outside the mask", async () => {
    // Prepare
    const out = join(dir, "erased.png");
    const before = emulator.invocations;
    // Act
    const run = await retouch(
      [
        "edit",
        "-i",
        PHOTO,
        "-m",
        mask,
        "--operation",
        "erase",
        "--engine",
        "bedrock-stability",
        "--seed",
        "5",
        "-o",
        out,
      ],
      awsEnv,
    );
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(emulator.invocations).toBeGreaterThan(before);
    const [input, output] = await Promise.all([pixels(PHOTO), pixels(out)]);
    expect([output.width, output.height]).toEqual([input.width, input.height]);
    const { inside, outside } = changedAroundRect(input, output);
    expect(outside).toBe(0);
    expect(inside).toBeGreaterThan(0);
  });

  it("edit --search-prompt replaces without a mask, and --option mode=recolor picks search-recolor", async () => {
    // Prepare
    const replacedPath = join(dir, "replaced.png");
    const recoloredPath = join(dir, "recolored.png");
    const common = ["edit", "-i", PHOTO, "--operation", "replace", "--engine", "bedrock-stability"];
    const before = emulator.invocations;
    // Act
    const replaced = await retouch(
      [...common, "--prompt", "a pear", "--search-prompt", "the apple", "-o", replacedPath],
      awsEnv,
    );
    const recolored = await retouch(
      [
        ...common,
        "--prompt",
        "bright red",
        "--option",
        "mode=recolor",
        "--option",
        "selectPrompt=the apple",
        "-o",
        recoloredPath,
      ],
      awsEnv,
    );
    const missing = await retouch([...common, "--prompt", "a pear", "-o", join(dir, "none.png")], awsEnv);
    // Assess
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(recolored.code, recolored.stderr).toBe(0);
    expect(emulator.invocations - before).toBe(2);
    const [input, a, b] = await Promise.all([pixels(PHOTO), pixels(replacedPath), pixels(recoloredPath)]);
    expect(a.data.equals(input.data)).toBe(false);
    expect(b.data.equals(a.data)).toBe(false);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/searchPrompt/);
  });

  it("edit --mask-prompt inpaints through Nova Canvas with the area named instead of painted", async () => {
    // Prepare
    const out = join(dir, "mask-prompt.png");
    // Act
    const run = await retouch(
      [
        "edit",
        "-i",
        PHOTO,
        "--operation",
        "inpaint",
        "--engine",
        "bedrock-nova-canvas",
        "--prompt",
        "a pear",
        "--mask-prompt",
        "the apple",
        "--option",
        "quality=premium",
        "--option",
        "cfgScale=7.5",
        "-o",
        out,
      ],
      awsEnv,
    );
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const [input, output] = await Promise.all([pixels(PHOTO), pixels(out)]);
    expect([output.width, output.height]).toEqual([input.width, input.height]);
    expect(output.data.equals(input.data)).toBe(false);
  });

  it("edit refuses a malformed --option and an empty --search-prompt before running anything", async () => {
    // Prepare
    const before = emulator.invocations;
    const common = ["edit", "-i", PHOTO, "--operation", "replace", "--engine", "bedrock-stability"];
    // Act
    const malformed = await retouch([...common, "--option", "=7", "-o", join(dir, "x.png")], awsEnv);
    const empty = await retouch([...common, "--search-prompt", " ", "-o", join(dir, "y.png")], awsEnv);
    // Assess
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--option must be key=value/);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--search-prompt must not be empty/);
    expect(emulator.invocations).toBe(before);
  });

  it("bedrock-emulator serves the SDK until SIGTERM, and retouch edit talks to it by AWS_ENDPOINT_URL_BEDROCK_RUNTIME", async () => {
    // Prepare
    const child = spawn(process.execPath, [CLI, "bedrock-emulator", "--port", "0", "--synthetic-background"]);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("\n")) resolve(stdout.split("\n")[0]!.trim());
      });
      child.once("exit", () => reject(new Error(`the emulator exited: ${stderr}`)));
    });
    const out = join(dir, "via-command.png");
    const inProcessCalls = emulator.invocations;
    // Act
    const run = await retouch(
      ["edit", "-i", PHOTO, "-m", mask, "--operation", "erase", "--engine", "bedrock-stability", "-o", out],
      { ...awsEnv, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url },
    );
    child.kill("SIGTERM");
    const code = await exited;
    // Assess
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stderr).toContain(`Bedrock Runtime emulator listening at ${url}`);
    expect(run.code, run.stderr).toBe(0);
    expect(emulator.invocations).toBe(inProcessCalls);
    const [input, output] = await Promise.all([pixels(PHOTO), pixels(out)]);
    expect([output.width, output.height]).toEqual([input.width, input.height]);
    expect(output.data.equals(input.data)).toBe(false);
    expect(code).toBe(0);
  });

  it("engines lists bedrock-stability when RETOUCH_ENGINES enables it, and not by default", async () => {
    // Act
    const enabled = await retouch(["engines", "--json"], {
      ...awsEnv,
      RETOUCH_ENGINES: "local-fill,bedrock-stability",
    });
    const byDefault = await retouch(["engines", "--json"], { RETOUCH_ENGINES: "" });
    // Assess
    expect(enabled.code, enabled.stderr).toBe(0);
    const ids = (JSON.parse(enabled.stdout) as { id: string }[]).map((e) => e.id);
    expect(ids).toEqual(["local-fill", "bedrock-stability"]);
    expect((JSON.parse(byDefault.stdout) as { id: string }[]).map((e) => e.id)).not.toContain(
      "bedrock-stability",
    );
  });

  it("engines rejects an unknown engine id with the list of known ones", async () => {
    // Act
    const run = await retouch(["engines"], { RETOUCH_ENGINES: "local-fill,dall-e" });
    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(
      /RETOUCH_ENGINES: unknown engine 'dall-e' \(known: local-fill, local-fill-fast, bedrock-stability\b/,
    );
  });
});
