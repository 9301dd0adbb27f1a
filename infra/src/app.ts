import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { App, Aspects } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { NativeModulesMode } from "./backend-function";
import { RetouchStack, type RetouchStackProps } from "./retouch-stack";

/** Context (`cdk synth -c keepData=false`) arrives as strings from the CLI, as values from cdk.json. */
function booleanContext(app: App, key: string): boolean | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new Error(`Context ${key} must be true or false, got ${String(value)}`);
}

function listContext(app: App, key: string): string[] | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(",");
  return items.map((item) => item.trim()).filter(Boolean);
}

/** `install` (default: sharp for linux/arm64 next to each bundle, needs the npm registry) or `skip` (offline synth). */
function nativeModulesContext(app: App): NativeModulesMode | undefined {
  const value: unknown = app.node.tryGetContext("nativeModules");
  if (value === undefined || value === "install" || value === "skip") return value;
  throw new Error(`Context nativeModules must be install or skip, got ${String(value)}`);
}

/**
 * Builds the CDK app with the cdk-nag AwsSolutions checks. Context: `stackName`, `keepData`,
 * `userPoolDeletionProtection`, `bedrockModelIds` (comma-separated), `corsOrigins` (extra
 * origins, comma-separated), `defaultEngine`, `alarmEmail` (subscribed to the alarm topic),
 * `nativeModules` (`install` or `skip`: `skip` synthesizes offline, for checks; a deploy needs
 * `install`).
 */
export function buildApp(
  app = new App(),
  overrides: RetouchStackProps = {},
): { app: App; stack: RetouchStack } {
  const stackName = (app.node.tryGetContext("stackName") as string | undefined) ?? "Retouch";
  const stack = new RetouchStack(app, stackName, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description:
      "Retouch: AI image editor (Amplify, Cognito, API Gateway, Lambda, SQS, Bedrock, DynamoDB, S3)",
    keepData: booleanContext(app, "keepData"),
    userPoolDeletionProtection: booleanContext(app, "userPoolDeletionProtection"),
    bedrockModelIds: listContext(app, "bedrockModelIds"),
    extraCorsOrigins: listContext(app, "corsOrigins"),
    defaultEngine: app.node.tryGetContext("defaultEngine") as string | undefined,
    nativeModules: nativeModulesContext(app),
    alarmEmail: app.node.tryGetContext("alarmEmail") as string | undefined,
    ...overrides,
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}

// Run by `cdk synth` (cdk.json: `npx tsx src/app.ts`).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildApp().app.synth();
}
