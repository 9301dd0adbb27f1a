import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { imageGenerationTableDefinition, PENDING_EXPIRY_ATTRIBUTE } from "@retouch/adapters";
import { beforeAll, describe, expect, it } from "vitest";
import { STABILITY_DEFAULT_MODEL_IDS, STABILITY_PROFILES } from "@retouch/engines/bedrock";
import { DEFAULT_BEDROCK_MODEL_IDS } from "../src/jobs";
import { asList, flatten, functionAssetDirs, identityStatements, nagFindings, synthesize } from "./support";

let synth: ReturnType<typeof synthesize>;
let template: Template;

beforeAll(() => {
  synth = synthesize();
  template = synth.template;
});

const logicalId = (resources: Record<string, unknown>) => {
  const ids = Object.keys(resources);
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

describe("Cognito", () => {
  it("has an invitation-only user pool signing in with username or email", () => {
    template.resourceCountIs("AWS::Cognito::UserPool", 1);
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      UserPoolName: "ImageEditUserPool",
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      AliasAttributes: ["email"],
      UsernameAttributes: Match.absent(),
      UsernameConfiguration: { CaseSensitive: false },
      Schema: Match.arrayWith([Match.objectLike({ Name: "email", Required: true })]),
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }] },
      DeletionProtection: "ACTIVE",
    });
  });

  it("has a public SPA client (no secret, SRP + refresh only, no OAuth) with 1 h / 30 d tokens", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AllowedOAuthFlows: Match.absent(),
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30 * 24 * 60,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "minutes" },
      PreventUserExistenceErrors: "ENABLED",
    });
  });
});

describe("API Gateway", () => {
  it("is a Regional REST API with the Cognito authorizer on the Authorization header", () => {
    template.hasResourceProperties("AWS::ApiGateway::RestApi", {
      Name: "ImageEditingAppBackendAPI",
      EndpointConfiguration: { Types: ["REGIONAL"] },
    });
    const userPool = logicalId(template.findResources("AWS::Cognito::UserPool"));
    template.hasResourceProperties("AWS::ApiGateway::Authorizer", {
      Name: "cognito-authorizer",
      Type: "COGNITO_USER_POOLS",
      IdentitySource: "method.request.header.Authorization",
      ProviderARNs: [{ "Fn::GetAtt": [userPool, "Arn"] }],
    });
  });

  it("requires the authorizer on every method except CORS preflight", () => {
    const authorizer = logicalId(template.findResources("AWS::ApiGateway::Authorizer"));
    const resources = template.findResources("AWS::ApiGateway::Resource");
    // The full path ("docs/{proxy+}"), following each resource's parent up to the root.
    const pathOf = (resourceId: { Ref?: string }): string => {
      const resource = resourceId.Ref ? resources[resourceId.Ref] : undefined;
      if (!resource) return "/";
      const parent = pathOf(resource.Properties.ParentId as { Ref?: string });
      const part = String(resource.Properties.PathPart);
      return parent === "/" ? part : `${parent}/${part}`;
    };
    const methods = Object.values(template.findResources("AWS::ApiGateway::Method")).map((m) => m.Properties);
    const seen = { secured: [] as string[], preflight: 0 };
    for (const method of methods) {
      const path = pathOf(method.ResourceId as { Ref?: string });
      if (method.HttpMethod === "OPTIONS") {
        expect(method.AuthorizationType).toBe("NONE");
        seen.preflight++;
      } else {
        expect(method).toMatchObject({
          AuthorizationType: "COGNITO_USER_POOLS",
          AuthorizerId: { Ref: authorizer },
          AuthorizationScopes: ["aws.cognito.signin.user.admin"],
          RequestParameters: { "method.request.header.Authorization": true },
        });
        seen.secured.push(`${method.HttpMethod} ${path}`);
      }
      if (method.HttpMethod !== "OPTIONS") expect(method.Integration).toMatchObject({ Type: "AWS_PROXY" });
    }
    expect(seen.secured.sort()).toEqual(
      ["DELETE /", "DELETE {proxy+}", "GET /", "GET {proxy+}", "POST /", "POST {proxy+}"].sort(),
    );
    expect(seen.preflight).toBe(2);
  });

  it("answers CORS preflight for OPTIONS/GET/POST/DELETE with Content-Type and Authorization", () => {
    template.hasResourceProperties("AWS::ApiGateway::Method", {
      HttpMethod: "OPTIONS",
      Integration: Match.objectLike({
        IntegrationResponses: [
          Match.objectLike({
            ResponseParameters: Match.objectLike({
              "method.response.header.Access-Control-Allow-Headers": "'Content-Type,Authorization'",
              "method.response.header.Access-Control-Allow-Methods": "'OPTIONS,GET,POST,DELETE'",
            }),
          }),
        ],
      }),
    });
    template.resourceCountIs("AWS::ApiGateway::GatewayResponse", 2);
    // Only the app's own origin, never "*".
    const amplifyApp = logicalId(template.findResources("AWS::Amplify::App"));
    const preflights = Object.values(
      template.findResources("AWS::ApiGateway::Method", { Properties: { HttpMethod: "OPTIONS" } }),
    );
    for (const preflight of preflights) {
      const [response] = preflight.Properties.Integration.IntegrationResponses;
      expect(flatten(response.ResponseParameters["method.response.header.Access-Control-Allow-Origin"])).toBe(
        `'https://prod.\${${amplifyApp}.DefaultDomain}'`,
      );
    }
  });

  it("deploys stage prod with throttling, metrics and JSON access logs kept for a while", () => {
    const stage = Object.values(template.findResources("AWS::ApiGateway::Stage"))[0]!.Properties;
    expect(stage.StageName).toBe("prod");
    expect(stage.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: "*",
        ResourcePath: "/*",
        MetricsEnabled: true,
        ThrottlingRateLimit: 20,
        ThrottlingBurstLimit: 40,
      }),
    ]);
    const logGroupId = (stage.AccessLogSetting.DestinationArn as { "Fn::GetAtt": [string, string] })[
      "Fn::GetAtt"
    ][0];
    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: "AWS::Logs::LogGroup",
      Properties: { RetentionInDays: 30 },
    });
    // One JSON line per request with who asked what and how it went; not the caller's identity.
    const format = JSON.parse(stage.AccessLogSetting.Format as string) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: "$context.requestId",
      ip: "$context.identity.sourceIp",
      user: "$context.identity.user",
      requestTime: "$context.requestTime",
      httpMethod: "$context.httpMethod",
      resourcePath: "$context.resourcePath",
      status: "$context.status",
      protocol: "$context.protocol",
      responseLength: "$context.responseLength",
    });
    expect(format.caller).toBeUndefined();
    expect(stage.TracingEnabled).toBe(true);
  });

  it("validates request parameters and bodies", () => {
    template.hasResourceProperties("AWS::ApiGateway::RequestValidator", {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });
});

describe("Lambda and SQS", () => {
  const fn = (name: string) =>
    Object.values(template.findResources("AWS::Lambda::Function", { Properties: { FunctionName: name } }))[0]!
      .Properties;

  it("runs the API as ImageEditBackend: Node.js 22, arm64, 60 s, 1024 MB, wired by environment", () => {
    expect(fn("ImageEditBackend")).toMatchObject({
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Timeout: 60,
      MemorySize: 1024,
      Handler: "index.handler",
      TracingConfig: { Mode: "Active" },
    });
    const env = fn("ImageEditBackend").Environment.Variables as Record<string, unknown>;
    expect(Object.keys(env).sort()).toEqual(
      [
        "NODE_OPTIONS",
        "RETOUCH_BEDROCK_MODEL_IDS",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_SERVICE_NAME",
        "RETOUCH_CORS_ORIGINS",
        "RETOUCH_IMAGES_BUCKET",
        "RETOUCH_LOG_LEVEL",
        "RETOUCH_QUEUE_URL",
        "RETOUCH_TABLE_NAME",
        "RETOUCH_USER_POOL_CLIENT_ID",
        "RETOUCH_USER_POOL_ID",
      ].sort(),
    );
  });

  it("feeds the worker from SQS with a DLQ, partial batch failures and a long enough visibility timeout", () => {
    const worker = fn("ImageEditWorker");
    expect(worker).toMatchObject({
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Timeout: 300,
      MemorySize: 2048,
      TracingConfig: { Mode: "Active" },
    });
    // The worker runs what its role may invoke: the default Stability catalogue, no queue URL.
    const workerEnv = worker.Environment.Variables as Record<string, unknown>;
    expect(String(workerEnv.RETOUCH_BEDROCK_MODEL_IDS).split(",")).toEqual([...STABILITY_DEFAULT_MODEL_IDS]);
    expect(workerEnv).toMatchObject({ RETOUCH_MAX_RECEIVE_COUNT: "3" });
    expect(workerEnv.RETOUCH_QUEUE_URL).toBeUndefined();
    const queues = template.findResources("AWS::SQS::Queue");
    const [queueId, queue] = Object.entries(queues).find(([, q]) => q.Properties.RedrivePolicy)!;
    const dlqId = queue.Properties.RedrivePolicy.deadLetterTargetArn["Fn::GetAtt"][0] as string;
    expect(queues[dlqId]).toBeDefined();
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(3);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (worker.Timeout as number));
    for (const q of Object.values(queues)) expect(q.Properties.SqsManagedSseEnabled).toBe(true);

    const mappings = Object.values(template.findResources("AWS::Lambda::EventSourceMapping"));
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]!.Properties;
    expect(mapping.EventSourceArn).toEqual({ "Fn::GetAtt": [queueId, "Arn"] });
    expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    expect(mapping.BatchSize).toBeGreaterThanOrEqual(1);
    expect(mapping.BatchSize).toBeLessThanOrEqual(5);
  });

  it("gives every function its own log group with retention", () => {
    const logGroups = template.findResources("AWS::Logs::LogGroup");
    for (const f of Object.values(template.findResources("AWS::Lambda::Function"))) {
      const ref = f.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(logGroups[ref]?.Properties).toMatchObject({
        LogGroupName: `/aws/lambda/${String(f.Properties.FunctionName)}`,
        RetentionInDays: 30,
      });
    }
  });
});

describe("DynamoDB and S3", () => {
  it("declares ImageGenerationTable exactly as the metadata adapter expects", () => {
    const definition = imageGenerationTableDefinition("x");
    const table = Object.values(template.findResources("AWS::DynamoDB::Table"))[0]!.Properties;
    expect(table.TableName).toBe("ImageGenerationTable");
    expect(table.BillingMode).toBe("PAY_PER_REQUEST");
    expect(table.KeySchema).toEqual(definition.KeySchema);
    const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) =>
      String(a.AttributeName).localeCompare(String(b.AttributeName));
    expect([...table.AttributeDefinitions].sort(byName)).toEqual(
      [...definition.AttributeDefinitions!].sort(byName),
    );
    expect(table.GlobalSecondaryIndexes).toEqual(
      definition.GlobalSecondaryIndexes!.map((index) => ({
        IndexName: index.IndexName,
        KeySchema: index.KeySchema,
        Projection: index.Projection,
      })),
    );
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: PENDING_EXPIRY_ATTRIBUTE, Enabled: true });
  });

  it("keeps images private, encrypted, TLS-only, access-logged, with CORS for presigned URLs", () => {
    const buckets = template.findResources("AWS::S3::Bucket");
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    }
    const [imagesId, images] = Object.entries(buckets).find(([, b]) => b.Properties.CorsConfiguration)!;
    expect(images.Properties.LoggingConfiguration).toBeDefined();
    expect(images.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: "Enabled",
      }),
    );
    // Uploads wait under uploads/ until completed (ImageService), so what stays there was abandoned.
    expect(images.Properties.LifecycleConfiguration.Rules).toContainEqual({
      Id: "expire-abandoned-uploads",
      Prefix: "uploads/",
      ExpirationInDays: 1,
      Status: "Enabled",
    });
    const cors = images.Properties.CorsConfiguration.CorsRules[0];
    expect(cors.AllowedMethods).toEqual(expect.arrayContaining(["PUT", "GET"]));
    // What a presigned PUT sends: its content type and the signed x-amz-* headers.
    expect(cors.AllowedHeaders).toEqual(["Content-Type", "x-amz-*"]);
    expect(cors.ExposedHeaders).toEqual(["ETag"]);
    const amplifyApp = logicalId(template.findResources("AWS::Amplify::App"));
    expect(flatten(cors.AllowedOrigins[0])).toBe(`https://prod.\${${amplifyApp}.DefaultDomain}`);

    const policies = Object.values(template.findResources("AWS::S3::BucketPolicy"));
    for (const id of Object.keys(buckets)) {
      const policy = policies.find((p) => p.Properties.Bucket.Ref === id);
      expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "s3:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
    }
    expect(imagesId).toMatch(/^DataImagesBucket/);
  });
});

describe("IAM", () => {
  it("uses no managed policies and no wildcard actions", () => {
    template.resourceCountIs("AWS::IAM::ManagedPolicy", 0);
    for (const role of Object.values(template.findResources("AWS::IAM::Role")))
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = identityStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    for (const { owner, statement } of statements) {
      expect(statement.Effect, owner).toBe("Allow");
      for (const action of asList(statement.Action)) {
        expect(action, owner).not.toBe("*");
        expect(action, owner).not.toMatch(/\*/);
      }
    }
  });

  it("lets only bedrock-image-editing-role invoke, and only the configured foundation models", () => {
    const roles = template.findResources("AWS::IAM::Role", {
      Properties: { RoleName: "bedrock-image-editing-role" },
    });
    const workerRole = logicalId(roles);
    const bedrock = identityStatements(template).filter(({ statement }) =>
      asList(statement.Action).some((action) => action.startsWith("bedrock:")),
    );
    expect(bedrock).toHaveLength(1);
    const policy = template.toJSON().Resources[bedrock[0]!.owner];
    expect(policy.Properties.Roles).toEqual([{ Ref: workerRole }]);
    expect(bedrock[0]!.statement.Action).toBe("bedrock:InvokeModel");
    expect(asList(bedrock[0]!.statement.Resource).map(flatten)).toEqual(
      DEFAULT_BEDROCK_MODEL_IDS.map((id) => `arn:aws:bedrock:\${AWS::Region}::foundation-model/${id}`),
    );
    // Every model the Stability engine can route to is allowed, search-recolor included.
    expect(DEFAULT_BEDROCK_MODEL_IDS).toEqual(
      expect.arrayContaining([
        ...Object.values(STABILITY_PROFILES).map((profile) => profile.defaultModelId),
        "stability.stable-image-search-recolor-v1:0",
      ]),
    );
  });

  it("scopes DynamoDB, S3, SQS and logs to this stack's table, bucket, queue and log groups", () => {
    const table = logicalId(template.findResources("AWS::DynamoDB::Table"));
    const queues = Object.keys(template.findResources("AWS::SQS::Queue"));
    const bucket = Object.keys(template.findResources("AWS::S3::Bucket")).find((id) =>
      id.startsWith("DataImagesBucket"),
    )!;
    const logGroups = Object.keys(template.findResources("AWS::Logs::LogGroup"));
    const allowed: Record<string, string[]> = {
      dynamodb: [`\${${table}.Arn}`, `\${${table}.Arn}/index/userId-createdAt-index`],
      s3: [`\${${bucket}.Arn}`, `\${${bucket}.Arn}/users/*`, `\${${bucket}.Arn}/uploads/users/*`],
      sqs: queues.map((id) => `\${${id}.Arn}`),
      logs: logGroups.map((id) => `\${${id}.Arn}`),
      xray: ["*"],
      bedrock: DEFAULT_BEDROCK_MODEL_IDS.map(
        (id) => `arn:aws:bedrock:\${AWS::Region}::foundation-model/${id}`,
      ),
    };
    for (const { owner, statement } of identityStatements(template)) {
      const services = new Set(asList(statement.Action).map((action) => action.split(":")[0]!));
      expect(services.size, owner).toBe(1);
      const [service] = [...services];
      for (const resource of asList(statement.Resource).map(flatten))
        expect(allowed[service!], `${owner} ${service} ${resource}`).toContain(resource);
    }
  });
});

describe("CloudWatch", () => {
  const alarms = () =>
    Object.values(template.findResources("AWS::CloudWatch::Alarm")).map((a) => a.Properties);

  it("alarms on API 5xx, function errors and throttles, a non-empty DLQ and Bedrock failures", () => {
    const list = alarms();
    expect(list.find((a) => a.Namespace === "AWS/ApiGateway" && a.MetricName === "5XXError")).toBeDefined();
    for (const f of Object.keys(template.findResources("AWS::Lambda::Function")))
      for (const metric of ["Errors", "Throttles"])
        expect(
          list.find(
            (a) =>
              a.Namespace === "AWS/Lambda" &&
              a.MetricName === metric &&
              JSON.stringify(a.Dimensions).includes(`"Ref":"${f}"`),
          ),
          `${metric} of ${f}`,
        ).toBeDefined();
    expect(list).toContainEqual(
      expect.objectContaining({
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 0,
      }),
    );
    expect(list).toContainEqual(
      expect.objectContaining({
        Namespace: "Retouch",
        MetricName: "BedrockFailures",
        Dimensions: [{ Name: "service", Value: "retouch-worker" }],
      }),
    );
    // Every alarm notifies the one TLS-only alarm topic, when it fires and when it recovers.
    const topic = logicalId(template.findResources("AWS::SNS::Topic"));
    expect(list).toHaveLength(7);
    for (const alarm of list) {
      expect(alarm.AlarmActions, alarm.AlarmDescription).toEqual([{ Ref: topic }]);
      expect(alarm.OKActions, alarm.AlarmDescription).toEqual([{ Ref: topic }]);
    }
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    template.resourceCountIs("AWS::SNS::Subscription", 0);
    template.hasOutput("AlarmTopicArn", { Value: { Ref: topic } });
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    const [dashboard] = Object.values(template.findResources("AWS::CloudWatch::Dashboard"));
    const body = flatten(dashboard!.Properties.DashboardBody);
    for (const title of [
      "Alarms",
      "API requests and errors",
      "API latency (p50, p99)",
      "Function invocations, errors, throttles",
      "Function duration (p99)",
      "Edit queue",
      "Bedrock failures",
    ])
      expect(body, title).toContain(`"title":"${title}"`);
    for (const metric of [
      "5XXError",
      "Latency",
      "Errors",
      "Throttles",
      "ApproximateNumberOfMessagesVisible",
      "BedrockFailures",
    ])
      expect(body, metric).toContain(`"${metric}"`);
  });
});

describe("Amplify Hosting and outputs", () => {
  it("has an app without a repository and a prod branch", () => {
    template.hasResourceProperties("AWS::Amplify::App", { Name: "Retouch", Repository: Match.absent() });
    template.hasResourceProperties("AWS::Amplify::Branch", { BranchName: "prod", Stage: "PRODUCTION" });
  });

  it("outputs what the CLI needs to deploy the web build and configure it", () => {
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    for (const name of [
      "UserPoolId",
      "UserPoolClientId",
      "Region",
      "InvokeUrl",
      "AmplifyAppId",
      "AmplifyBranch",
      "ImagesBucket",
      "TableName",
      "QueueUrl",
    ])
      expect(outputs, name).toHaveProperty(name);
    template.hasOutput("AmplifyBranch", { Value: "prod" });
    const stage = logicalId(
      template.findResources("AWS::ApiGateway::Stage", { Properties: { StageName: "prod" } }),
    );
    expect(flatten((outputs.InvokeUrl as { Value: unknown }).Value)).toMatch(
      new RegExp(`^https://.*\\.execute-api\\..*/\\$\\{${stage}\\}/$`),
    );
  });
});

describe("cdk-nag (AwsSolutions)", () => {
  it("reports no unsuppressed errors or warnings", () => {
    expect(nagFindings(synth.stack)).toEqual([]);
  });

  it("gives every suppression a specific reason", () => {
    const resources = template.toJSON().Resources as Record<string, { Metadata?: Record<string, unknown> }>;
    const suppressions = Object.values(resources).flatMap(
      (resource) =>
        (resource.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined)
          ?.rules_to_suppress ?? [],
    );
    expect(suppressions.length).toBeGreaterThan(0);
    for (const { id, reason } of suppressions) expect(reason.length, id).toBeGreaterThan(40);
  });
});

describe("bundling", () => {
  it("bundles both functions locally with esbuild (never Docker), leaving native sharp external", () => {
    const require = createRequire(import.meta.url);
    expect(() => require.resolve("esbuild"), "esbuild must be installed for local bundling").not.toThrow();
    const assets = functionAssetDirs(template, synth.outdir);
    expect(Object.keys(assets).sort()).toEqual(["ImageEditBackend", "ImageEditWorker"]);
    for (const [name, dir] of Object.entries(assets)) {
      expect(existsSync(join(dir, "index.mjs")), name).toBe(true);
      expect(existsSync(join(dir, "index.mjs.map")), name).toBe(true);
    }
    const apiBundle = join(assets.ImageEditBackend!, "index.mjs");
    const source = readFileSync(apiBundle, "utf8");
    expect(source).toMatch(/from"sharp"/);
    expect(source).not.toMatch(/opencv/i);
    const bytes = statSync(apiBundle).size;
    console.info(`ImageEditBackend bundle: ${(bytes / 1024 / 1024).toFixed(2)} MB (${apiBundle})`);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });
});
