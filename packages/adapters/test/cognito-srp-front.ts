import { createHash, createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The server half of Cognito's `USER_SRP_AUTH` in front of cognito-local, which has none.
 *
 * This is a stand-in, not Cognito: no local server implements SRP, so the test setup runs this
 * front and says so. It answers `InitiateAuth` (USER_SRP_AUTH) with a `PASSWORD_VERIFIER`
 * challenge and checks the client's `PASSWORD_CLAIM_SIGNATURE` exactly as Cognito's SRP-6a
 * (3072-bit group, HKDF "Caldera Derived Key") defines it; a correct proof is then signed in
 * upstream with USER_PASSWORD_AUTH, so cognito-local's own answer (a NEW_PASSWORD_REQUIRED
 * challenge or its tokens) goes back to the client. Every other call is passed through. SRP needs
 * the server to hold each user's verifier, so the front is told a user's password
 * ({@link CognitoSrpFront.setPassword}) and follows changes it forwards (a new password chosen
 * at the challenge, ChangePassword, ConfirmForgotPassword).
 */
export interface CognitoSrpFront {
  /** `http://127.0.0.1:port`: the `cognitoEndpoint` the web editor should use. */
  url: string;
  /** Registers the password a user has upstream (e.g. an admin-created user's temporary one). */
  setPassword(username: string, password: string): void;
  /** SRP proofs that verified so far: the sign-ins that really went through SRP. */
  proofsVerified(): number;
  stop(): Promise<void>;
}

const N = BigInt(
  "0x" +
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const G = 2n;

/** Even-length hex, with a leading 00 when the top bit is set (SRP's unsigned big-endian encoding). */
function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
const hexHash = (hex: string) => sha256Hex(Buffer.from(hex, "hex"));
const bigHex = (hex: string) => BigInt(`0x${hex}`);
const K = bigHex(hexHash(padHex(N) + padHex(G)));

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

interface PendingProof {
  username: string;
  password: string;
  A: bigint;
  B: bigint;
  b: bigint;
  v: bigint;
}

/** The 16-byte key both sides derive from the shared secret S and the scrambler u. */
function passwordKey(proof: PendingProof): Buffer {
  const u = bigHex(hexHash(padHex(proof.A) + padHex(proof.B)));
  const S = modPow((proof.A * modPow(proof.v, u, N)) % N, proof.b, N);
  const prk = createHmac("sha256", Buffer.from(padHex(u), "hex"))
    .update(Buffer.from(padHex(S), "hex"))
    .digest();
  return createHmac("sha256", prk)
    .update(Buffer.concat([Buffer.from("Caldera Derived Key", "utf8"), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

/** The username of an access token (ChangePassword names the user only by its token). */
function tokenUsername(token: unknown): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(String(token).split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof payload.username === "string" ? payload.username : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the front on a free port of 127.0.0.1 for one user pool, forwarding to `upstream`
 * (cognito-local).
 *
 * @example
 * ```ts
 * const front = await startCognitoSrpFront("http://localhost:9229", pool.userPoolId);
 * front.setPassword("ana", "Temp-Pass-123!");
 * // the web editor signs in with USER_SRP_AUTH against front.url
 * ```
 */
export async function startCognitoSrpFront(upstream: string, userPoolId: string): Promise<CognitoSrpFront> {
  const poolName = userPoolId.split("_")[1] ?? "";
  const passwords = new Map<string, string>();
  const pending = new Map<string, PendingProof>();
  let verified = 0;

  const send = (response: ServerResponse, status: number, body: unknown, type?: string) => {
    response.writeHead(status, {
      "Content-Type": "application/x-amz-json-1.1",
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": "x-amzn-errortype, x-amzn-requestid",
      ...(type ? { "x-amzn-errortype": type } : {}),
    });
    response.end(JSON.stringify(body));
  };
  const refuse = (response: ServerResponse) =>
    send(
      response,
      400,
      { __type: "NotAuthorizedException", message: "Incorrect username or password." },
      "NotAuthorizedException",
    );

  const forward = async (target: string, body: Record<string, unknown>) => {
    const reply = await fetch(upstream, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target },
      body: JSON.stringify(body),
    });
    const text = await reply.text();
    return {
      status: reply.status,
      json: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
      type: reply.headers.get("x-amzn-errortype") ?? undefined,
    };
  };

  /** Step 1: the client's A; answers the salt, B and a secret block that names this attempt. */
  function challenge(params: Record<string, string>, response: ServerResponse) {
    const username = params.USERNAME ?? "";
    const password = passwords.get(username);
    const A = bigHex(params.SRP_A ?? "0");
    if (password === undefined || A % N === 0n) return refuse(response);
    const salt = bigHex(randomBytes(16).toString("hex"));
    const x = bigHex(hexHash(padHex(salt) + sha256Hex(`${poolName}${username}:${password}`)));
    const v = modPow(G, x, N);
    const b = bigHex(randomBytes(32).toString("hex"));
    const B = (K * v + modPow(G, b, N)) % N;
    const secretBlock = randomBytes(64).toString("base64");
    pending.set(secretBlock, { username, password, A, B, b, v });
    send(response, 200, {
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeParameters: {
        SALT: salt.toString(16),
        SRP_B: B.toString(16),
        SECRET_BLOCK: secretBlock,
        USER_ID_FOR_SRP: username,
        USERNAME: username,
      },
    });
  }

  /** Step 2: the client's signature, made with the key only the right password derives. */
  async function verify(body: Record<string, unknown>, response: ServerResponse) {
    const answers = (body.ChallengeResponses ?? {}) as Record<string, string>;
    const secretBlock = answers.PASSWORD_CLAIM_SECRET_BLOCK ?? "";
    const proof = pending.get(secretBlock);
    pending.delete(secretBlock);
    if (!proof || answers.USERNAME !== proof.username) return refuse(response);
    const expected = createHmac("sha256", passwordKey(proof))
      .update(
        Buffer.concat([
          Buffer.from(poolName, "utf8"),
          Buffer.from(proof.username, "utf8"),
          Buffer.from(secretBlock, "base64"),
          Buffer.from(answers.TIMESTAMP ?? "", "utf8"),
        ]),
      )
      .digest("base64");
    if (answers.PASSWORD_CLAIM_SIGNATURE !== expected) return refuse(response);
    verified++;
    const upstreamReply = await forward("AWSCognitoIdentityProviderService.InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: body.ClientId,
      AuthParameters: { USERNAME: proof.username, PASSWORD: proof.password },
    });
    send(response, upstreamReply.status, upstreamReply.json, upstreamReply.type);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === "OPTIONS") {
      response.writeHead(204, {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "POST",
        "Access-Control-Allow-Headers": "content-type, x-amz-target, x-amz-user-agent, cache-control",
        "Access-Control-Max-Age": "600",
      });
      response.end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.split(".").pop();

    if (operation === "InitiateAuth" && body.AuthFlow === "USER_SRP_AUTH") {
      return challenge((body.AuthParameters ?? {}) as Record<string, string>, response);
    }
    if (operation === "RespondToAuthChallenge" && body.ChallengeName === "PASSWORD_VERIFIER") {
      return verify(body, response);
    }
    const forwarded = await forward(target, body);
    if (forwarded.status === 200) {
      // Keep each user's verifier in step with the password upstream.
      const answers = (body.ChallengeResponses ?? {}) as Record<string, string>;
      if (operation === "RespondToAuthChallenge" && answers.NEW_PASSWORD && answers.USERNAME)
        passwords.set(answers.USERNAME, answers.NEW_PASSWORD);
      const changer = operation === "ChangePassword" ? tokenUsername(body.AccessToken) : undefined;
      if (changer) passwords.set(changer, String(body.ProposedPassword));
      if (operation === "ConfirmForgotPassword") passwords.set(String(body.Username), String(body.Password));
    }
    send(response, forwarded.status, forwarded.json, forwarded.type);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(
        response,
        500,
        { __type: "InternalErrorException", message: String(error) },
        "InternalErrorException",
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setPassword: (username, password) => passwords.set(username, password),
    proofsVerified: () => verified,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
