import { describe, expect, it } from "vitest";
import { parseConfig } from "../../web/src/config";
import { webConfig, webConfigScript } from "../src/aws/web-config";

describe("config.js for an AWS deployment", () => {
  it("sets window.config to the stack's Cognito ids, region and invoke URL, which the web editor accepts", () => {
    // Prepare
    const outputs = {
      UserPoolId: "eu-west-1_Pool42",
      UserPoolClientId: "client42",
      Region: "eu-west-1",
      InvokeUrl: "https://x1.execute-api.eu-west-1.amazonaws.com/prod/",
    };
    const window: { config?: unknown } = {};

    // Act
    new Function("window", webConfigScript(webConfig(outputs)))(window);

    // Assess
    expect(window.config).toEqual({
      auth: "cognito",
      userPoolId: "eu-west-1_Pool42",
      userPoolClientId: "client42",
      region: "eu-west-1",
      invokeUrl: "https://x1.execute-api.eu-west-1.amazonaws.com/prod",
      authFlow: "USER_SRP_AUTH",
    });
    expect(parseConfig(window.config)).toEqual({ ok: true, config: window.config });
  });
});
