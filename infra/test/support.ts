import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type Stack } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import { buildApp } from "../src/app";
import type { RetouchStackProps } from "../src/retouch-stack";

/**
 * Builds the app as `cdk synth` does (cdk-nag aspects included) into a temporary folder.
 * Native modules are not installed (that needs the npm registry); esbuild still bundles both
 * functions unless `bundle` is false. Docker is pointed at a command that does not exist, so a
 * fallback to Docker bundling fails the test instead of running.
 */
export function synthesize(
  options: { context?: Record<string, unknown>; props?: RetouchStackProps; bundle?: boolean } = {},
) {
  process.env.CDK_DOCKER = "retouch-test-docker-must-not-run";
  const outdir = mkdtempSync(join(tmpdir(), "retouch-cdk-"));
  const context: Record<string, unknown> = { ...options.context };
  if (options.bundle === false) context["aws:cdk:bundling-stacks"] = [];
  const { app, stack } = buildApp(new App({ outdir, context }), { nativeModules: "skip", ...options.props });
  const assembly = app.synth();
  return { app, stack, assembly, outdir, template: Template.fromStack(stack) };
}

/**
 * Each function's staged asset folder, by function name: the synthesizer stages a bundle in
 * `asset.<hash>` under the app's outdir, the hash its S3 key names — what `cdk deploy` zips.
 *
 * @example
 * ```ts
 * const synth = synthesize();
 * functionAssetDirs(synth.template, synth.outdir).ImageEditBackend; // ".../asset.3f2a…"
 * ```
 */
export function functionAssetDirs(template: Template, outdir: string): Record<string, string> {
  return Object.fromEntries(
    Object.values(template.findResources("AWS::Lambda::Function")).map((f) => [
      String(f.Properties.FunctionName),
      join(outdir, `asset.${flatten(f.Properties.Code.S3Key).replace(/\.zip$/, "")}`),
    ]),
  );
}

/** cdk-nag AwsSolutions errors and warnings left unsuppressed on the stack, as `id: message`. */
export function nagFindings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [
    ...annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")),
    ...annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")),
  ].map((finding) => `${finding.id}: ${String(finding.entry.data)}`);
}

type Json = unknown;

/**
 * Resolves the pseudo parameters and joins of an ARN-like value to a string, so policies can be
 * compared with plain strings: `{"Ref":"AWS::Region"}` → `${AWS::Region}`, `Fn::GetAtt` →
 * `${Logical.Attr}`.
 */
export function flatten(value: Json): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const object = value as Record<string, Json>;
    if ("Ref" in object) return object.Ref === "AWS::Partition" ? "aws" : `\${${String(object.Ref)}}`;
    if ("Fn::GetAtt" in object) return `\${${(object["Fn::GetAtt"] as string[]).join(".")}}`;
    if ("Fn::Join" in object) {
      const [separator, parts] = object["Fn::Join"] as [string, Json[]];
      return parts.map(flatten).join(separator);
    }
  }
  return JSON.stringify(value);
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: Json;
  Sid?: string;
}

/** Every statement of every identity policy (`AWS::IAM::Policy` and roles' inline policies), by owner. */
export function identityStatements(template: Template): { owner: string; statement: Statement }[] {
  const found: { owner: string; statement: Statement }[] = [];
  for (const [id, policy] of Object.entries(template.findResources("AWS::IAM::Policy")))
    for (const statement of policy.Properties.PolicyDocument.Statement as Statement[])
      found.push({ owner: id, statement });
  for (const [id, role] of Object.entries(template.findResources("AWS::IAM::Role")))
    for (const inline of (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[])
      for (const statement of inline.PolicyDocument.Statement) found.push({ owner: id, statement });
  return found;
}

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
