import type { StackOutputs } from "./stack-outputs";

/** What the web editor reads from `window.config` on AWS (see `apps/web/src/config.ts`). */
export interface CognitoWebConfig {
  auth: "cognito";
  userPoolId: string;
  userPoolClientId: string;
  region: string;
  invokeUrl: string;
  /** SRP: the only flow the stack's app client allows (`infra/src/auth.ts`). */
  authFlow: "USER_SRP_AUTH";
}

/**
 * The runtime configuration of a deployment, from the stack outputs. The invoke URL loses its
 * trailing slash: the editor appends paths that start with one.
 *
 * @example
 * ```ts
 * webConfig(outputs); // { auth: "cognito", userPoolId: "us-west-2_abc", ..., invokeUrl: "https://x.execute-api…/prod" }
 * ```
 */
export function webConfig(
  outputs: Pick<StackOutputs, "UserPoolId" | "UserPoolClientId" | "Region" | "InvokeUrl">,
): CognitoWebConfig {
  return {
    auth: "cognito",
    userPoolId: outputs.UserPoolId,
    userPoolClientId: outputs.UserPoolClientId,
    region: outputs.Region,
    invokeUrl: outputs.InvokeUrl.replace(/\/+$/, ""),
    authFlow: "USER_SRP_AUTH",
  };
}

/**
 * The `config.js` file served next to `index.html`, which loads it before the app bundle.
 *
 * @example
 * ```ts
 * webConfigScript(webConfig(outputs)); // 'window.config = {"auth":"cognito",...};\n'
 * ```
 */
export function webConfigScript(config: CognitoWebConfig): string {
  return `window.config = ${JSON.stringify(config, null, 2)};\n`;
}
