import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import net, { type AddressInfo, type Socket } from "node:net";
import { createBackgroundRemover, type BackgroundRemovalMode } from "./background-removal";
import { FaultState, type EmulatorFaults } from "./faults";
import { bedrockError, invokeModel, type EmulatorResponse } from "./invoke";
import { answerOpenAiImages } from "./openai-images";

export interface BedrockEmulator {
  /** Base URL to pass as `endpoint` to `BedrockRuntimeClient`, e.g. `http://127.0.0.1:51234`. */
  url: string;
  /** Faults injected into the next invocations. */
  faults: EmulatorFaults;
  /** How many invocations reached the emulator (including faulted ones). */
  readonly invocations: number;
  close(): Promise<void>;
}

export interface BedrockEmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The only API key `/v1/images/*` accepts; unset, any Bearer key passes. */
  openAiApiKey?: string;
  /**
   * How remove-background (Stability) and BACKGROUND_REMOVAL (Nova) are answered: `"synthetic"`
   * (the default: a centred ellipse of alpha, instant, marked by `x-emulator-synthetic`) or
   * `"local-bg"` (the real CPU engine, IMG.LY's segmentation model: a true matte, ~20
   * CPU-seconds per photo, the model loaded once in a worker thread).
   */
  backgroundRemoval?: BackgroundRemovalMode;
}

/** Largest request body accepted (base64 of two ~9.4 MP PNGs fits). */
const MAX_BODY_BYTES = 100 * 1024 * 1024;
const H2_PREFACE = Buffer.from("PRI * HTTP/2.0");

/**
 * Starts a local server that answers like Bedrock Runtime's `InvokeModel` for the Stability AI
 * Image Services models and Amazon Nova Canvas (and like OpenAI's `/v1/images/*`). One port speaks both cleartext HTTP/2 (which
 * the AWS SDK v3 `BedrockRuntimeClient` uses by default) and HTTP/1.1: the first bytes of each
 * connection decide which server gets it.
 *
 * @example
 * ```ts
 * const emulator = await startBedrockEmulator();
 * const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint: emulator.url,
 *   credentials: { accessKeyId: "test", secretAccessKey: "test" } });
 * emulator.faults.throttleNext(1);
 * await emulator.close();
 * ```
 */
export async function startBedrockEmulator(options: BedrockEmulatorOptions = {}): Promise<BedrockEmulator> {
  const faults = new FaultState();
  const backgroundRemover = createBackgroundRemover(options.backgroundRemoval ?? "synthetic");
  let invocations = 0;
  const sockets = new Set<Socket>();

  const handle = (
    req: IncomingMessage | Http2ServerRequest,
    res: ServerResponse | Http2ServerResponse,
  ): void => {
    void answer(req)
      .catch(() =>
        bedrockError(500, "InternalServerException", "The emulator failed to process the request."),
      )
      .then((reply) => {
        if (res.headersSent) return;
        try {
          res.writeHead(reply.status, {
            ...reply.headers,
            "content-length": String(Buffer.byteLength(reply.body)),
          });
          res.end(reply.body);
        } catch {
          // The client went away (e.g. it aborted a slow request); nobody is left to answer.
        }
      });
  };

  const answer = async (req: IncomingMessage | Http2ServerRequest): Promise<EmulatorResponse> => {
    const url = new URL(req.url ?? "/", "http://emulator");
    // The OpenAI-compatible image endpoints share the port (see openai-images.ts).
    if (url.pathname.startsWith("/v1/images/")) {
      const body = await readBody(req);
      invocations++;
      const request = { method: req.method ?? "GET", path: url.pathname, headers: req.headers, body };
      return answerOpenAiImages(request, faults, options.openAiApiKey);
    }
    const match = /^\/model\/([^/]+)\/invoke$/.exec(url.pathname);
    if (!match) {
      await readBody(req);
      return bedrockError(404, "UnknownOperationException", `No operation at ${req.method} ${url.pathname}`);
    }
    if (req.method !== "POST") {
      await readBody(req);
      return bedrockError(405, "ValidationException", `Method ${req.method} is not allowed here`);
    }
    const body = await readBody(req);
    if (body === null) return bedrockError(413, "ValidationException", "The request body is too large.");
    invocations++;
    return invokeModel(decodeURIComponent(match[1]!), body, faults, backgroundRemover);
  };

  const h1 = http.createServer(handle);
  const h2 = http2.createServer(handle);
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      const isH2 = first.subarray(0, H2_PREFACE.length).equals(H2_PREFACE);
      // The HTTP/2 session takes over the socket's handle and first reads what is buffered;
      // the HTTP/1.1 server reads through the stream, so it must flow again.
      if (isH2) h2.emit("connection", socket);
      else {
        h1.emit("connection", socket);
        socket.resume();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = front.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    get invocations() {
      return invocations;
    },
    async close() {
      backgroundRemover.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      h1.close();
      h2.close();
    },
  };
}

/** The whole body, or null when it exceeds `MAX_BODY_BYTES`. */
async function readBody(req: IncomingMessage | Http2ServerRequest): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  }
  return tooLarge ? null : Buffer.concat(chunks);
}
