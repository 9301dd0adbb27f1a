// Amplify's API is faked (a recording `send`): no local Amplify server exists. The zip upload is
// real: it goes over HTTP to a server this test starts, standing in for Amplify's upload URL.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AmplifyClient } from "@aws-sdk/client-amplify";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployToAmplify } from "../src/aws/amplify-deployment";
import { webConfig, webConfigScript } from "../src/aws/web-config";
import { zipWebBuild } from "../src/aws/web-bundle";
import { fakeClient, type RecordedCall } from "./fake-aws-client";

const OUTPUTS = {
  UserPoolId: "us-west-2_AbCdEf123",
  UserPoolClientId: "1example23456789",
  Region: "us-west-2",
  InvokeUrl: "https://abc123.execute-api.us-west-2.amazonaws.com/prod/",
};

describe("Amplify deployment of the web build", () => {
  let server: Server;
  let uploadUrl: string;
  let dist: string;
  const uploads: { method: string; contentType: string | undefined; body: Buffer }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        uploads.push({
          method: req.method!,
          contentType: req.headers["content-type"],
          body: Buffer.concat(chunks),
        });
        res
          .writeHead(req.url?.includes("refuse") ? 403 : 200)
          .end(req.url?.includes("refuse") ? "SignatureDoesNotMatch" : "");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    uploadUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload?X-Amz-Signature=abc`;
    dist = await mkdtemp(join(tmpdir(), "retouch-dist-"));
    await mkdir(join(dist, "assets"));
    await writeFile(join(dist, "index.html"), '<!doctype html><script src="/config.js"></script>');
    await writeFile(join(dist, "assets", "app.js"), "console.log('editor')");
    // A development config.js in the build must be replaced, not shipped.
    await writeFile(join(dist, "config.js"), 'window.config = {"auth":"local","invokeUrl":"/api"};');
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dist, { recursive: true, force: true });
  });

  it("creates a deployment, PUTs the zip with index.html and this stack's config.js, starts it and polls the job to SUCCEED", async () => {
    // Prepare
    uploads.length = 0;
    const calls: RecordedCall[] = [];
    const statuses = ["PENDING", "RUNNING", "SUCCEED"];
    const amplify = fakeClient<AmplifyClient>("amplify", calls, {
      CreateDeploymentCommand: () => ({ jobId: "7", zipUploadUrl: uploadUrl }),
      GetJobCommand: () => ({ job: { summary: { status: statuses.shift() } } }),
    });
    const zip = await zipWebBuild(dist, webConfigScript(webConfig(OUTPUTS)));
    const seen: string[] = [];

    // Act
    const result = await deployToAmplify({
      amplify,
      appId: "d1abc",
      branchName: "prod",
      zip,
      pollIntervalMs: 1,
      onStatus: (status) => seen.push(status),
    });

    // Assess
    expect(result).toEqual({ jobId: "7" });
    expect(calls.map((c) => c.command)).toEqual([
      "CreateDeploymentCommand",
      "StartDeploymentCommand",
      "GetJobCommand",
      "GetJobCommand",
      "GetJobCommand",
    ]);
    expect(calls[0]!.input).toEqual({ appId: "d1abc", branchName: "prod" });
    expect(calls[1]!.input).toEqual({ appId: "d1abc", branchName: "prod", jobId: "7" });
    expect(calls[2]!.input).toEqual({ appId: "d1abc", branchName: "prod", jobId: "7" });
    expect(seen).toEqual(["PENDING", "RUNNING", "SUCCEED"]);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.method).toBe("PUT");
    expect(uploads[0]!.contentType).toBe("application/zip");
    const files = unzipSync(new Uint8Array(uploads[0]!.body));
    expect(Object.keys(files).sort()).toEqual(["assets/app.js", "config.js", "index.html"]);
    expect(strFromU8(files["index.html"]!)).toContain('src="/config.js"');
    const window: { config?: unknown } = {};
    new Function("window", strFromU8(files["config.js"]!))(window);
    expect(window.config).toEqual({
      auth: "cognito",
      userPoolId: "us-west-2_AbCdEf123",
      userPoolClientId: "1example23456789",
      region: "us-west-2",
      invokeUrl: "https://abc123.execute-api.us-west-2.amazonaws.com/prod",
      authFlow: "USER_SRP_AUTH",
    });
  });

  it("reports a failed job with the failing step's reason", async () => {
    // Prepare
    const calls: RecordedCall[] = [];
    const amplify = fakeClient<AmplifyClient>("amplify", calls, {
      CreateDeploymentCommand: () => ({ jobId: "8", zipUploadUrl: uploadUrl }),
      GetJobCommand: () => ({
        job: {
          summary: { status: "FAILED" },
          steps: [{ stepName: "DEPLOY", status: "FAILED", statusReason: "zip has no index.html" }],
        },
      }),
    });

    // Act
    const deploying = deployToAmplify({
      amplify,
      appId: "d1abc",
      branchName: "prod",
      zip: new Uint8Array([1]),
      pollIntervalMs: 1,
    });

    // Assess
    await expect(deploying).rejects.toThrow("Amplify deployment job 8 ended FAILED: zip has no index.html");
  });

  it("stops when the upload is refused, before starting the deployment", async () => {
    // Prepare
    const calls: RecordedCall[] = [];
    const amplify = fakeClient<AmplifyClient>("amplify", calls, {
      CreateDeploymentCommand: () => ({ jobId: "9", zipUploadUrl: uploadUrl.replace("upload", "refuse") }),
    });

    // Act
    const deploying = deployToAmplify({
      amplify,
      appId: "d1abc",
      branchName: "prod",
      zip: new Uint8Array([1]),
    });

    // Assess
    await expect(deploying).rejects.toThrow("HTTP 403 SignatureDoesNotMatch");
    expect(calls.map((c) => c.command)).toEqual(["CreateDeploymentCommand"]);
  });

  it("gives up when the job outlasts the timeout", async () => {
    // Prepare
    const amplify = fakeClient<AmplifyClient>("amplify", [], {
      CreateDeploymentCommand: () => ({ jobId: "10", zipUploadUrl: uploadUrl }),
      GetJobCommand: () => ({ job: { summary: { status: "RUNNING" } } }),
    });

    // Act
    const deploying = deployToAmplify({
      amplify,
      appId: "d1abc",
      branchName: "prod",
      zip: new Uint8Array([1]),
      pollIntervalMs: 20,
      timeoutMs: 50,
    });

    // Assess
    await expect(deploying).rejects.toThrow("job 10 is still RUNNING after the timeout");
  });
});
