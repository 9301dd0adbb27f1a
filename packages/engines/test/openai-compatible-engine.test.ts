import {
  EngineRefusedError,
  ServiceUnavailableError,
  ValidationError,
  type EngineRequest,
} from "@retouch/core";
import { startBedrockEmulator, type BedrockEmulator } from "@retouch/bedrock-emulator";
import { decodeRaster } from "@retouch/imaging";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createConfiguredEngines,
  createOpenAiCompatibleEngine,
  type OpenAiCompatibleEngineOptions,
} from "../src";
import { parseServerSize, placeImage } from "../src/openai-compatible/fit-canvas";
import {
  changedOutside,
  eraseRequest,
  maskOf,
  photoRaster,
  quietContext,
  unfilled,
  withHole,
} from "./fixtures";

const KEY = "sk-test-openai-compatible";

let emulator: BedrockEmulator;

beforeAll(async () => {
  emulator = await startBedrockEmulator({ openAiApiKey: KEY });
});

afterEach(() => emulator.faults.reset());

afterAll(async () => {
  await emulator.close();
});

/** What one call sent, read back from the real request before it goes to the emulator. */
interface SentRequest {
  url: string;
  headers: Headers;
  form: FormData | null;
  json: Record<string, unknown> | null;
}

/** The global fetch, recording each request it forwards (the emulator still answers them). */
function recordingFetch(sent: SentRequest[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const copy = request.clone();
    const isJson = request.headers.get("content-type")?.startsWith("application/json") ?? false;
    sent.push({
      url: request.url,
      headers: request.headers,
      form: isJson ? null : await copy.formData(),
      json: isJson ? ((await copy.json()) as Record<string, unknown>) : null,
    });
    return fetch(request);
  };
}

const engine = (options: Partial<OpenAiCompatibleEngineOptions> = {}) =>
  createOpenAiCompatibleEngine({
    baseUrl: emulator.url,
    apiKey: KEY,
    model: "dall-e-2",
    retry: { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 5 },
    ...options,
  });

/** A 300×200 crop of a photo with a magenta hole where the mask paints. */
async function holedRequest(): Promise<EngineRequest> {
  const photo = await photoRaster("fruits.jpg", 300, 200);
  const mask = maskOf(photo, (x, y) => x >= 120 && x < 180 && y >= 70 && y < 130);
  return {
    ...eraseRequest(withHole(photo, mask), mask, 2),
    operation: "inpaint",
    prompt: "a ripe orange",
  };
}

describe("openai-compatible engine against the emulator's /v1/images/edits", () => {
  it("sends the image on the smallest valid square, a mask transparent exactly where it edits, and the key", async () => {
    // Prepare
    const sent: SentRequest[] = [];
    const request = await holedRequest();

    // Act
    await engine({ fetch: recordingFetch(sent) }).run(request, quietContext());

    // Assess
    expect(sent).toHaveLength(1);
    const { url, headers, form } = sent[0]!;
    expect(url).toBe(`${emulator.url}/v1/images/edits`);
    expect(headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(Object.fromEntries([...form!.entries()].filter(([, v]) => typeof v === "string"))).toEqual({
      prompt: "a ripe orange",
      n: "2",
      size: "512x512",
      model: "dall-e-2",
      response_format: "b64_json",
    });
    const image = await decodeRaster(new Uint8Array(await (form!.get("image") as Blob).arrayBuffer()));
    const mask = await decodeRaster(new Uint8Array(await (form!.get("mask") as Blob).arrayBuffer()));
    expect([image.width, image.height, mask.width, mask.height]).toEqual([512, 512, 512, 512]);
    let wrongAlpha = 0;
    for (let y = 0; y < 512; y++) {
      for (let x = 0; x < 512; x++) {
        const painted = x < 300 && y < 200 && request.mask!.data[y * 300 + x] === 255;
        if (mask.data[(y * 512 + x) * 4 + 3] !== (painted ? 0 : 255)) wrongAlpha++;
        if (image.data[(y * 512 + x) * 4 + 3] !== 255) wrongAlpha++;
      }
    }
    expect(wrongAlpha).toBe(0);
    // The padding repeats the edge pixels, so the model sees no black bar.
    const edge = (300 * 199 + 299) * 4;
    expect([...image.data.subarray((511 * 512 + 511) * 4, (511 * 512 + 511) * 4 + 3)]).toEqual([
      ...request.image!.data.subarray(edge, edge + 3),
    ]);
  });

  it("returns count results at the request's size, filled in the mask and unchanged outside it", async () => {
    // Prepare
    const request = await holedRequest();

    // Act
    const results = await engine().run(request, quietContext());

    // Assess
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect([result.width, result.height]).toEqual([300, 200]);
      expect(unfilled(result, request.mask!.data)).toBe(0);
      expect(changedOutside(result, request.image!, request.mask!.data)).toBe(0);
    }
  });

  it("scales an image larger than every size down onto the largest one, and the results back up", async () => {
    // Prepare: 1282×1110 is over DALL·E 2's 1024×1024; a direct call skips the pipeline's scaling.
    const sent: SentRequest[] = [];
    const photo = await photoRaster("aloeL.jpg");
    const mask = maskOf(photo, (x, y) => x >= 600 && x < 700 && y >= 500 && y < 600);
    const request = { ...eraseRequest(withHole(photo, mask), mask), prompt: "leaves" };

    // Act
    const [result] = await engine({ fetch: recordingFetch(sent) }).run(request, quietContext());

    // Assess
    expect(sent[0]!.form!.get("size")).toBe("1024x1024");
    const sentMask = await decodeRaster(
      new Uint8Array(await (sent[0]!.form!.get("mask") as Blob).arrayBuffer()),
    );
    // 1282×1110 scaled by 1024/1282 is 1024×887; the padding below it is kept.
    expect(sentMask.data[(886 * 1024 + 10) * 4 + 3]).toBe(255);
    expect(sentMask.data[(440 * 1024 + 520) * 4 + 3]).toBe(0);
    expect([result!.width, result!.height]).toEqual([1282, 1110]);
    expect(unfilled(result!, mask.data)).toBe(0);
  });

  it("erases without a prompt by asking for background", async () => {
    // Prepare
    const sent: SentRequest[] = [];
    const request = { ...(await holedRequest()), operation: "erase" as const, prompt: null, count: 1 };

    // Act
    const [result] = await engine({ fetch: recordingFetch(sent) }).run(request, quietContext());

    // Assess
    expect(sent[0]!.form!.get("prompt")).toMatch(/background/);
    expect(unfilled(result!, request.mask!.data)).toBe(0);
  });

  it("retries throttling and server errors with backoff, then succeeds", async () => {
    // Prepare
    emulator.faults.throttleNext(1);
    emulator.faults.unavailableNext(1);
    const before = emulator.invocations;

    // Act
    const results = await engine().run({ ...(await holedRequest()), count: 1 }, quietContext());

    // Assess
    expect(results).toHaveLength(1);
    expect(emulator.invocations - before).toBe(3);
  });

  it("gives up after its attempts with a clear 503", async () => {
    // Prepare
    emulator.faults.throttleNext(3);
    const before = emulator.invocations;

    // Act
    const attempt = engine().run({ ...(await holedRequest()), count: 1 }, quietContext());

    // Assess
    await expect(attempt).rejects.toThrow(ServiceUnavailableError);
    await expect(attempt).rejects.toThrow(/still throttling after 3 attempts/);
    expect(emulator.invocations - before).toBe(3);
  });

  it("maps content-policy refusals to the content-filter message, without retrying", async () => {
    // Prepare
    emulator.faults.refuseInput(1);
    emulator.faults.refuseOutput(1);
    const before = emulator.invocations;
    const request = { ...(await holedRequest()), count: 1 };

    // Act
    const first = engine().run(request, quietContext());
    await expect(first).rejects.toThrow(EngineRefusedError);
    const second = engine().run(request, quietContext());

    // Assess
    await expect(first).rejects.toThrow(/blocked by the model's content filter/);
    await expect(second).rejects.toThrow(/blocked by the model's content filter/);
    expect(emulator.invocations - before).toBe(2);
  });

  it("fails a request the server rejects (400) with the server's message", async () => {
    // Prepare: the engine allows longer prompts than the emulator's DALL·E 2 rules.
    const request = { ...(await holedRequest()), count: 1, prompt: "y".repeat(1200) };

    // Act
    const attempt = engine({ maxPromptLength: 4000 }).run(request, quietContext());

    // Assess
    await expect(attempt).rejects.toThrow(EngineRefusedError);
    await expect(attempt).rejects.toThrow(
      /rejected the request: prompt: prompt must be at most 1000 characters/,
    );
  });

  it("explains a refused API key (401) without repeating it", async () => {
    // Act
    const attempt = engine({ apiKey: "sk-not-the-right-one" }).run(
      { ...(await holedRequest()), count: 1 },
      quietContext(),
    );

    // Assess
    await expect(attempt).rejects.toThrow(ServiceUnavailableError);
    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/refused the API key \(401\).*RETOUCH_OPENAI_API_KEY/);
    expect(error.message).not.toContain("sk-not-the-right-one");
  });

  it("refuses before calling: a missing prompt for inpaint, too many results, an operation it lacks", async () => {
    // Prepare
    const before = emulator.invocations;
    const request = await holedRequest();

    // Act
    const attempts = [
      engine().run({ ...request, prompt: " " }, quietContext()),
      engine().run({ ...request, count: 5 }, quietContext()),
      engine().run({ ...request, operation: "outpaint" }, quietContext()),
    ];

    // Assess
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(EngineRefusedError);
    expect(emulator.invocations).toBe(before);
  });

  it("fails clearly on a malformed answer", async () => {
    // Prepare
    emulator.faults.malformedNext(1);

    // Act
    const attempt = engine().run({ ...(await holedRequest()), count: 1 }, quietContext());

    // Assess
    await expect(attempt).rejects.toThrow(/not JSON/);
  });
});

describe("openai-compatible engine: generate", () => {
  it("posts the prompt as JSON to /v1/images/generations and returns the images as they come", async () => {
    // Prepare
    const sent: SentRequest[] = [];
    const request: EngineRequest = {
      operation: "generate",
      image: null,
      mask: null,
      prompt: "a lighthouse at dusk",
      negativePrompt: null,
      count: 1,
      seed: 0,
      options: { size: "256x256" },
    };

    // Act
    const [result] = await engine({ fetch: recordingFetch(sent) }).run(request, quietContext());

    // Assess
    expect(sent[0]!.url).toBe(`${emulator.url}/v1/images/generations`);
    expect(sent[0]!.json).toEqual({
      prompt: "a lighthouse at dusk",
      n: 1,
      size: "256x256",
      model: "dall-e-2",
      response_format: "b64_json",
    });
    expect([result!.width, result!.height]).toEqual([256, 256]);
  });
});

describe("openai-compatible engine: configuration", () => {
  it("refuses to start without a base URL or API key, naming the variables", () => {
    // Act
    const attempt = () =>
      createConfiguredEngines({
        engines: ["openai-compatible"],
        bedrockRegion: "us-east-1",
        bedrockEndpoint: undefined,
      });

    // Assess
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/RETOUCH_OPENAI_BASE_URL.*RETOUCH_OPENAI_API_KEY/);
  });

  it("is created from the configuration, tolerating a base URL that ends in /v1", async () => {
    // Prepare
    const [configured] = createConfiguredEngines({
      engines: ["openai-compatible"],
      bedrockRegion: "us-east-1",
      bedrockEndpoint: undefined,
      openAiBaseUrl: `${emulator.url}/v1/`,
      openAiApiKey: KEY,
    });

    // Act
    const [result] = await configured!.run({ ...(await holedRequest()), count: 1 }, quietContext());

    // Assess
    expect(configured!.capabilities.id).toBe("openai-compatible");
    expect([result!.width, result!.height]).toEqual([300, 200]);
  });
});

describe("openai-compatible engine: choosing the size to send at", () => {
  it("picks the size needing the least shrinking, then the smallest, for square and oblong size lists", () => {
    // Prepare
    const dallE2 = ["256x256", "512x512", "1024x1024"].map(parseServerSize);
    const gptImage = ["1024x1024", "1536x1024", "1024x1536"].map(parseServerSize);

    // Act
    const small = placeImage(200, 120, dallE2);
    const large = placeImage(2048, 1024, dallE2);
    const wide = placeImage(1500, 1000, gptImage);
    const tall = placeImage(600, 1400, gptImage);

    // Assess
    expect(small).toEqual({ size: { width: 256, height: 256 }, inner: { width: 200, height: 120 } });
    expect(large).toEqual({ size: { width: 1024, height: 1024 }, inner: { width: 1024, height: 512 } });
    expect(wide).toEqual({ size: { width: 1536, height: 1024 }, inner: { width: 1500, height: 1000 } });
    expect(tall.size).toEqual({ width: 1024, height: 1536 });
    expect(() => parseServerSize("big")).toThrow(/1024x1024/);
  });
});
