import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { NagSuppressions } from "cdk-nag";
import { Construct } from "constructs";

/** Methods the API serves (besides CORS preflight). */
export const API_METHODS = ["GET", "POST", "DELETE"] as const;

/**
 * The scope Cognito puts in access tokens from SRP sign-in. Naming it on a method makes API
 * Gateway's Cognito authorizer accept the access token (the one the API verifies) and refuse ID
 * tokens.
 */
export const ACCESS_TOKEN_SCOPE = "aws.cognito.signin.user.admin";

export interface ApiProps {
  userPool: cognito.IUserPool;
  handler: lambda.IFunction;
  /** Browser origins allowed by CORS; the first one is used on API Gateway's own error responses. */
  corsOrigins: string[];
  throttling: { rateLimit: number; burstLimit: number };
  logRetention: logs.RetentionDays;
}

/**
 * `ImageEditingAppBackendAPI`: a Regional REST API, stage `prod`, proxying everything to the API
 * function. Every method requires a Cognito access token except CORS preflight and the public
 * paths. Payloads are capped by API Gateway at 10 MB; images never pass through it (presigned S3
 * URLs), and the app itself caps JSON bodies at 64 KB.
 */
export class Api extends Construct {
  readonly restApi: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;
  readonly authorizer: apigw.CognitoUserPoolsAuthorizer;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.restApi = new apigw.RestApi(this, "ImageEditingAppBackendAPI", {
      restApiName: "ImageEditingAppBackendAPI",
      description: "Retouch HTTP API (Hono on Lambda)",
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      cloudWatchRole: false,
      deployOptions: {
        stageName: "prod",
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
        metricsEnabled: true,
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
      defaultCorsPreflightOptions: {
        allowOrigins: props.corsOrigins,
        allowMethods: ["OPTIONS", ...API_METHODS],
        allowHeaders: ["Content-Type", "Authorization"],
        maxAge: Duration.minutes(10),
      },
    });

    this.authorizer = new apigw.CognitoUserPoolsAuthorizer(this, "CognitoAuthorizer", {
      authorizerName: "cognito-authorizer",
      cognitoUserPools: [props.userPool],
      identitySource: apigw.IdentitySource.header("Authorization"),
      resultsCacheTtl: Duration.minutes(5),
    });

    const validator = this.restApi.addRequestValidator("RequestValidator", {
      // Parameters: the Authorization header must be present. Bodies: only methods with a model are
      // checked, and the proxy methods have none (the app validates JSON bodies with its schemas).
      requestValidatorName: "basic-validation",
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const integration = new apigw.LambdaIntegration(props.handler, { proxy: true, allowTestInvoke: false });
    const secured: apigw.MethodOptions = {
      authorizer: this.authorizer,
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizationScopes: [ACCESS_TOKEN_SCOPE],
      requestValidator: validator,
      requestParameters: { "method.request.header.Authorization": true },
    };

    // Every route, /health and the API docs included, is behind the authorizer: on AWS nothing
    // answers without a user pool token (the docs are public only on a local server).
    const proxy = this.restApi.root.addResource("{proxy+}");
    for (const resource of [this.restApi.root, proxy])
      for (const method of API_METHODS) resource.addMethod(method, integration, secured);

    // API Gateway's own 4XX/5XX (an authorizer's 401, throttling's 429) need CORS headers too, or
    // the browser reports a CORS failure instead of the status.
    const origin = props.corsOrigins[0];
    if (origin) {
      const responseHeaders = {
        "Access-Control-Allow-Origin": `'${origin}'`,
        "Access-Control-Allow-Headers": "'Content-Type,Authorization'",
        Vary: "'Origin'",
      };
      this.restApi.addGatewayResponse("Default4xx", {
        type: apigw.ResponseType.DEFAULT_4XX,
        responseHeaders,
      });
      this.restApi.addGatewayResponse("Default5xx", {
        type: apigw.ResponseType.DEFAULT_5XX,
        responseHeaders,
      });
    }

    // CORS preflight (OPTIONS) methods carry no authorizer; cdk-nag exempts them from APIG4/COG4.
    NagSuppressions.addResourceSuppressions(this.restApi.deploymentStage, [
      {
        id: "AwsSolutions-APIG3",
        reason:
          "No WAF web ACL (a fixed monthly cost per ACL and rule): every data route needs a Cognito token, the stage is throttled and users are admin-created only.",
      },
      {
        id: "AwsSolutions-APIG6",
        reason:
          "Execution logging needs the account-wide API Gateway CloudWatch role (AWS::ApiGateway::Account), shared by every REST API in the region; this stack must not own or delete it. Access logs and metrics are enabled.",
      },
    ]);
  }

  /** The invoke URL of stage `prod`. */
  get invokeUrl(): string {
    return this.restApi.url;
  }
}
