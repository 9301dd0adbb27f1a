import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { asList, flatten, identityStatements, nagFindings, synthesize } from "./support";

describe("app context", () => {
  it("applies keepData=false, deletion protection, models and extra origins from context", () => {
    // No bundling here: the stack test bundles; this one checks configuration only.
    const { template, stack } = synthesize({
      bundle: false,
      context: {
        keepData: "false",
        bedrockModelIds: "amazon.nova-canvas-v1:0,us.stability.stable-image-inpaint-v1:0",
        corsOrigins: "http://localhost:5173",
      },
    });
    for (const type of ["AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Cognito::UserPool"])
      for (const resource of Object.values(template.findResources(type)))
        expect(resource.DeletionPolicy).toBe("Delete");
    template.hasResourceProperties("AWS::Cognito::UserPool", { DeletionProtection: "INACTIVE" });
    template.hasResourceProperties("AWS::DynamoDB::Table", { DeletionProtectionEnabled: false });

    const bedrock = identityStatements(template).find(
      ({ statement }) => statement.Action === "bedrock:InvokeModel",
    );
    // An inference profile needs the profile and its model in the regions it routes to.
    expect(asList(bedrock!.statement.Resource).map(flatten)).toEqual([
      "arn:aws:bedrock:${AWS::Region}::foundation-model/amazon.nova-canvas-v1:0",
      "arn:aws:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/us.stability.stable-image-inpaint-v1:0",
      "arn:aws:bedrock:*::foundation-model/stability.stable-image-inpaint-v1:0",
    ]);
    // Only the region is open, and cdk-nag accepts it for that reason alone.
    expect(nagFindings(stack)).toEqual([]);
    // Both functions know the models: the API lists their engines, the worker runs them.
    for (const name of ["ImageEditBackend", "ImageEditWorker"])
      template.hasResourceProperties("AWS::Lambda::Function", {
        FunctionName: name,
        Environment: {
          Variables: Match.objectLike({
            RETOUCH_BEDROCK_MODEL_IDS: "amazon.nova-canvas-v1:0,us.stability.stable-image-inpaint-v1:0",
          }),
        },
      });

    const bucket = Object.values(template.findResources("AWS::S3::Bucket")).find(
      (b) => b.Properties.CorsConfiguration,
    );
    expect(bucket?.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins[1]).toBe("http://localhost:5173");
  });

  it("refuses at synth a Bedrock model no engine uses", () => {
    expect(() =>
      synthesize({ bundle: false, context: { bedrockModelIds: "amazon.titan-image-generator-v2:0" } }),
    ).toThrow(/amazon\.titan-image-generator-v2:0/);
  });

  it("names a bad nativeModules context value", () => {
    expect(() => synthesize({ bundle: false, context: { nativeModules: "maybe" } })).toThrow(
      /nativeModules must be install or skip, got maybe/,
    );
  });

  it("sets the user pool's deletion protection apart from keepData", () => {
    // Act
    const { template } = synthesize({
      bundle: false,
      context: { keepData: "true", userPoolDeletionProtection: "false" },
    });

    // Assess: retained on stack deletion, yet an operator may delete the pool by hand
    template.hasResource("AWS::Cognito::UserPool", { DeletionPolicy: "Retain" });
    template.hasResourceProperties("AWS::Cognito::UserPool", { DeletionProtection: "INACTIVE" });
  });

  it("emails the alarm topic to alarmEmail", () => {
    // Act
    const { template } = synthesize({ bundle: false, context: { alarmEmail: "owner@example.com" } });
    // Assess
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "owner@example.com",
      TopicArn: { Ref: Object.keys(template.findResources("AWS::SNS::Topic"))[0] },
    });
  });

  it("retains data by default", () => {
    const { template } = synthesize({ bundle: false });
    for (const type of ["AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Cognito::UserPool"])
      for (const resource of Object.values(template.findResources(type)))
        expect(resource.DeletionPolicy).toBe("Retain");
  });
});
