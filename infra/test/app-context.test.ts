import { describe, expect, it } from "vitest";
import { flatten, identityStatements, synthesize } from "./support";

describe("app context", () => {
  it("applies keepData=false, deletion protection, models and extra origins from context", () => {
    // No bundling here: the stack test bundles; this one checks configuration only.
    const { template } = synthesize({
      bundle: false,
      context: {
        keepData: "false",
        bedrockModelIds: "amazon.nova-canvas-v1:0",
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
    expect(flatten(bedrock?.statement.Resource)).toBe(
      "arn:aws:bedrock:${AWS::Region}::foundation-model/amazon.nova-canvas-v1:0",
    );

    const bucket = Object.values(template.findResources("AWS::S3::Bucket")).find(
      (b) => b.Properties.CorsConfiguration,
    );
    expect(bucket?.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins[1]).toBe("http://localhost:5173");
  });

  it("retains data by default", () => {
    const { template } = synthesize({ bundle: false });
    for (const type of ["AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Cognito::UserPool"])
      for (const resource of Object.values(template.findResources(type)))
        expect(resource.DeletionPolicy).toBe("Retain");
  });
});
