import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cdkArguments, cdkEnvironment } from "../src/aws/cdk-runner";

const CLI = fileURLToPath(new URL("../bin/retouch.js", import.meta.url));

async function retouch(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      // No credentials or region from the machine running the tests: nothing may reach AWS.
      env: { PATH: process.env.PATH, HOME: "/nonexistent", AWS_CONFIG_FILE: "/dev/null" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("retouch aws flags", () => {
  it.each([
    [
      ["aws", "deploy", "--region", "mars-1", "--admin-email", "owner@example.com"],
      "retouch: --region must be an AWS region code such as us-west-2, not 'mars-1'",
    ],
    [
      ["aws", "deploy", "--region", "us-west-2"],
      "retouch: --admin-email is required: the first user's email (the user pool requires one)",
    ],
    [
      ["aws", "deploy", "--admin-email", "owner"],
      "retouch: --admin-email must be an email address, not 'owner'",
    ],
    [
      ["aws", "deploy", "--admin-email", "owner@example.com", "--admin-username", "two words"],
      "retouch: --admin-username must be 1–128 letters, digits or . _ + -, not 'two words'",
    ],
    [
      ["aws", "destroy", "--region", "US-WEST-2"],
      "retouch: --region must be an AWS region code such as us-west-2, not 'US-WEST-2'",
    ],
    [["aws", "status", "now"], /^retouch: too many arguments for 'status'/],
    [["aws", "launch"], /^retouch: unknown command 'launch'/],
  ])("%j exits with status 2 and one line", async (args, message) => {
    // Act
    const run = await retouch(args);

    // Assess
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    if (typeof message === "string") expect(lines[0]).toBe(message);
    else expect(lines[0]).toMatch(message);
  });

  it("lists deploy, destroy and status in aws --help", async () => {
    // Act
    const run = await retouch(["aws", "--help"]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/deploy \[options\]/);
    expect(run.stdout).toMatch(/destroy \[options\]/);
    expect(run.stdout).toMatch(/status \[options\]/);
  });
});

describe("cdk arguments", () => {
  it("deploys non-interactively with the outputs file and the keepData context app.ts reads", () => {
    // Act
    const args = cdkArguments({
      command: "deploy",
      stackName: "Retouch",
      keepData: true,
      outputsFile: "/tmp/o.json",
    });

    // Assess
    expect(args).toEqual([
      "deploy",
      "Retouch",
      "--context",
      "stackName=Retouch",
      "--context",
      "keepData=true",
      "--require-approval",
      "never",
      "--outputs-file",
      "/tmp/o.json",
      "--progress",
      "events",
    ]);
  });

  it("leaves keepData to the app's default when not chosen, and destroys without cdk's own prompt", () => {
    // Act
    const deploy = cdkArguments({ command: "deploy", stackName: "Retouch" });
    const destroy = cdkArguments({ command: "destroy", stackName: "Retouch" });

    // Assess
    expect(deploy.join(" ")).toBe(
      "deploy Retouch --context stackName=Retouch --require-approval never --progress events",
    );
    expect(destroy.join(" ")).toBe("destroy Retouch --context stackName=Retouch --force");
  });

  it("runs cdk in the chosen region", () => {
    // Act
    const env = cdkEnvironment({ PATH: "/usr/bin", AWS_REGION: "eu-west-1" }, "us-west-2");

    // Assess
    expect(env).toMatchObject({ PATH: "/usr/bin", AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "us-west-2" });
  });
});
