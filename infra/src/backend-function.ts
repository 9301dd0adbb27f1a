import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { RemovalPolicy, type Duration } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { NagSuppressions } from "cdk-nag";
import type { Construct } from "constructs";

/** The monorepo root: esbuild resolves the workspace packages (TypeScript sources) from here. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Native packages left out of the bundle and installed for linux-arm64 next to it instead. */
const NATIVE_MODULES = ["sharp"];

/**
 * `install`: after bundling, `npm install` the native modules for linux/arm64 into the asset
 * (needs the npm registry: `cdk synth`/`deploy`). `skip`: leave them out (offline tests; such a
 * function cannot run).
 */
export type NativeModulesMode = "install" | "skip";

export interface BackendFunctionProps {
  functionName: string;
  description: string;
  /** A fixed name for the execution role (default: generated). */
  roleName?: string;
  /** TypeScript entry that exports `handler`. */
  entry: string;
  timeout: Duration;
  memorySize: number;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  nativeModules: NativeModulesMode;
}

/**
 * The shell command that installs the native modules for Lambda (linux, arm64, glibc) next to
 * the bundle, at the versions the workspace uses. One command: CDK runs each hook command in its
 * own shell from the project root, so a `cd` in a separate command would not apply and npm would
 * install into the monorepo itself.
 */
export function nativeModulesInstallCommands(outputDir: string): string[] {
  const dir = JSON.stringify(outputDir);
  return [
    [
      `cd ${dir}`,
      `echo '{"private":true}' > ${JSON.stringify(`${outputDir}/package.json`)}`,
      `npm install --prefix ${dir} --no-package-lock --no-audit --no-fund --os=linux --cpu=arm64 --libc=glibc ${nativeModuleSpecs().join(" ")}`,
    ].join(" && "),
  ];
}

function nativeModuleSpecs(): string[] {
  const require = createRequire(import.meta.url);
  return NATIVE_MODULES.map((name) => {
    const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as {
      version: string;
    };
    return `${name}@${manifest.version}`;
  });
}

/**
 * A Node.js 22 arm64 function bundled locally by esbuild (never Docker), with its own log group
 * (retention set) and its own role that can write only to that log group (plus X-Ray traces).
 * Callers add the grants the function needs to `role`.
 */
export function createBackendFunction(scope: Construct, id: string, props: BackendFunctionProps) {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    logGroupName: `/aws/lambda/${props.functionName}`,
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    roleName: props.roleName,
    assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    description: `Execution role of ${props.functionName}`,
  });
  logGroup.grantWrite(role);

  const afterBundling = (_inputDir: string, outputDir: string): string[] =>
    props.nativeModules === "install" ? nativeModulesInstallCommands(outputDir) : [];

  const fn = new NodejsFunction(scope, id, {
    functionName: props.functionName,
    description: props.description,
    entry: props.entry,
    handler: "handler",
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    timeout: props.timeout,
    memorySize: props.memorySize,
    role,
    logGroup,
    tracing: lambda.Tracing.ACTIVE,
    environment: { ...props.environment, NODE_OPTIONS: "--enable-source-maps" },
    projectRoot: REPO_ROOT,
    depsLockFilePath: `${REPO_ROOT}package-lock.json`,
    bundling: {
      forceDockerBundling: false,
      format: OutputFormat.ESM,
      target: "node22",
      minify: true,
      sourceMap: true,
      // Stack traces need only the mappings (NODE_OPTIONS=--enable-source-maps), not the sources.
      sourcesContent: false,
      // ESM output: CommonJS dependencies still `require` Node built-ins.
      banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
      mainFields: ["module", "main"],
      // The AWS SDK is bundled (pinned versions, not the runtime's); native modules are installed.
      externalModules: NATIVE_MODULES,
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling,
      },
    },
  });

  NagSuppressions.addResourceSuppressions(
    role,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level permissions (CDK's Tracing.ACTIVE grant).",
        appliesTo: ["Resource::*"],
      },
    ],
    true,
  );
  NagSuppressions.addResourceSuppressions(fn, [
    {
      id: "AwsSolutions-L1",
      reason:
        "Node.js 22 is the runtime the project targets and tests on (engines >=20.19); moving to a newer runtime is a deliberate upgrade.",
    },
  ]);
  return { fn, role, logGroup };
}
