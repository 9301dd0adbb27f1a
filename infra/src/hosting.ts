import * as amplify from "aws-cdk-lib/aws-amplify";
import { Construct } from "constructs";

export const AMPLIFY_BRANCH = "prod";

/**
 * Amplify Hosting for the web editor: an app without a repository and its `prod` branch. The
 * CLI deploys the built editor (with a `config.js` made from the stack outputs) through Amplify's
 * create-deployment / start-deployment API.
 */
export class Hosting extends Construct {
  readonly app: amplify.CfnApp;
  readonly branch: amplify.CfnBranch;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.app = new amplify.CfnApp(this, "App", {
      name: "Retouch",
      description: "Retouch web editor",
      platform: "WEB",
      customRules: [
        // A single-page app: every path without a file extension serves index.html.
        {
          source:
            "</^[^.]+$|\\.(?!(css|gif|ico|jpg|jpeg|js|mjs|png|txt|svg|woff|woff2|ttf|map|json|webp|wasm)$)([^.]+$)/>",
          target: "/index.html",
          status: "200",
        },
      ],
      customHeaders: [
        "customHeaders:",
        "  - pattern: '**'",
        "    headers:",
        "      - key: Strict-Transport-Security",
        "        value: max-age=31536000; includeSubDomains",
        "      - key: X-Content-Type-Options",
        "        value: nosniff",
        "      - key: X-Frame-Options",
        "        value: DENY",
        "      - key: Referrer-Policy",
        "        value: same-origin",
        "  - pattern: 'config.js'",
        "    headers:",
        "      - key: Cache-Control",
        "        value: no-cache",
        "",
      ].join("\n"),
    });
    this.branch = new amplify.CfnBranch(this, "ProdBranch", {
      appId: this.app.attrAppId,
      branchName: AMPLIFY_BRANCH,
      stage: "PRODUCTION",
      enableAutoBuild: false,
    });
  }

  /** `https://prod.<app id>.amplifyapp.com`: the web editor's URL and the API's CORS origin. */
  get url(): string {
    return `https://${AMPLIFY_BRANCH}.${this.app.attrDefaultDomain}`;
  }
}
