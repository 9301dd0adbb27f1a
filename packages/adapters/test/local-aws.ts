import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import dynalite from "dynalite";
import S3rver from "s3rver";
import { createImageGenerationTable } from "../src/index";

const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const region = "us-east-1";

/** A real DynamoDB-compatible server (dynalite, in memory) with `ImageGenerationTable` created. */
export async function startDynalite(): Promise<{
  client: DynamoDBDocumentClient;
  tableName: string;
  stop(): Promise<void>;
}> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const raw = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region, credentials });
  const tableName = "ImageGenerationTable";
  await createImageGenerationTable(raw, tableName);
  return {
    client: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }),
    tableName,
    stop: async () => {
      raw.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A real S3-compatible server (s3rver, files in a temp folder) with one bucket. */
export async function startS3rver(): Promise<{ client: S3Client; bucket: string; stop(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), "retouch-s3rver-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory });
  const { port } = (await server.run()) as AddressInfo;
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region,
    credentials,
    forcePathStyle: true,
  });
  const bucket = "retouch-images";
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    client,
    bucket,
    stop: async () => {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
/**
 * A real Cognito-compatible server (cognito-local, as a child process on port 9229, which its
 * OpenID issuer hardcodes, with its `.cognito` data in a temp folder).
 */
export async function startCognitoLocal(): Promise<{
  client: CognitoIdentityProviderClient;
  /** Where it listens (also the start of its issuers). */
  endpoint: string;
  /** A fresh user pool and app client, like the CDK stack's. */
  createPool(): Promise<{ userPoolId: string; clientId: string; issuer: string }>;
  stop(): Promise<void>;
}> {
  const releasePort = await lockPort9229();
  const directory = await mkdtemp(join(tmpdir(), "retouch-cognito-local-"));
  // Its default pools sign in by email only; ours (like the CDK stack's) use usernames.
  await mkdir(join(directory, ".cognito"));
  await writeFile(
    join(directory, ".cognito", "config.json"),
    JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }),
  );
  const require = createRequire(import.meta.url);
  const start = join(dirname(require.resolve("cognito-local")), "bin", "start.js");
  const child = spawn(process.execPath, [start], {
    cwd: directory,
    env: { ...process.env, PORT: "9229", HOST: "localhost", DEBUG: "" },
    stdio: "ignore",
  });
  const endpoint = "http://localhost:9229";
  const client = new CognitoIdentityProviderClient({ endpoint, region, credentials });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await client.send(new ListUserPoolsCommand({ MaxResults: 1 }));
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`cognito-local did not start (is port 9229 taken?): ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    client,
    endpoint,
    async createPool() {
      const { UserPool } = await client.send(
        new CreateUserPoolCommand({
          PoolName: `retouch-${Date.now()}-${Math.random().toString(36).slice(2)}`,
          UsernameAttributes: [],
        }),
      );
      const userPoolId = UserPool!.Id!;
      const { UserPoolClient } = await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientName: "retouch-web",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      );
      return { userPoolId, clientId: UserPoolClient!.ClientId!, issuer: `${endpoint}/${userPoolId}` };
    },
    stop: async () => {
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill();
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
      await releasePort();
    },
  };
}

/**
 * Port 9229 is fixed, so test files (run in parallel workers) take turns: a lock folder holding
 * the owner's pid, taken over when that process is gone.
 */
async function lockPort9229(): Promise<() => Promise<void>> {
  const lock = join(tmpdir(), "retouch-cognito-local-9229.lock");
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, "pid"), String(process.pid));
      return () => rm(lock, { recursive: true, force: true });
    } catch {
      const owner = Number(await readFile(join(lock, "pid"), "utf8").catch(() => "0"));
      if (owner > 0 && !isAlive(owner)) await rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`cognito-local: ${lock} held by pid ${owner}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export { startSqsServer, type SqsServer } from "./sqs-server";
