/** How the web editor proves the password to Cognito: SRP (the password never leaves the browser) or plain. */
export type CognitoAuthFlow = "USER_SRP_AUTH" | "USER_PASSWORD_AUTH";

export const COGNITO_AUTH_FLOWS: readonly CognitoAuthFlow[] = ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"];

/** The Cognito form of `config.js`, after validation (defaults filled in). */
export interface CognitoRuntimeConfig {
  auth: "cognito";
  userPoolId: string;
  userPoolClientId: string;
  region: string;
  invokeUrl: string;
  /** `USER_SRP_AUTH` unless `config.js` says otherwise (cognito-local only speaks `USER_PASSWORD_AUTH`). */
  authFlow: CognitoAuthFlow;
  /** Cognito's API endpoint when it is not AWS's (`https://cognito-idp.<region>.amazonaws.com/`), e.g. cognito-local. */
  cognitoEndpoint?: string;
}

/**
 * The runtime configuration the server (or Amplify) serves as `/config.js`, loaded by
 * `index.html` before the app bundle so one build serves every deployment.
 */
export type RuntimeConfig = { auth: "local"; invokeUrl: string } | CognitoRuntimeConfig;

export type ConfigResult = { ok: true; config: RuntimeConfig } | { ok: false; problems: string[] };

declare global {
  interface Window {
    config?: unknown;
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/** An AWS region name such as `eu-west-1` or `us-gov-west-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** What Cognito (and amazon-cognito-identity-js) accept as a user pool id: `<region>_<id>`. */
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
/** An app client id: 1 to 128 word characters (Cognito's own pattern). */
const CLIENT_ID = /^[\w+]{1,128}$/;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Validates `window.config`. Answers every problem at once so the error screen can list them.
 *
 * The Cognito form is `{userPoolId, userPoolClientId, region, invokeUrl}` (what the AWS
 * deployment generates), plus the optional `authFlow` (`"USER_SRP_AUTH"`, the default, or
 * `"USER_PASSWORD_AUTH"`) and `cognitoEndpoint` (an http(s) URL replacing AWS's Cognito endpoint,
 * for cognito-local). Unknown fields are ignored.
 *
 * @example
 * ```ts
 * parseConfig({ auth: "local", invokeUrl: "/api" }); // → { ok: true, config: {...} }
 * parseConfig({ userPoolId: "eu-west-1_AbC123", userPoolClientId: "4l5k6j", region: "eu-west-1", invokeUrl: "/api" });
 * // → { ok: true, config: { auth: "cognito", authFlow: "USER_SRP_AUTH", ... } }
 * ```
 */
export function parseConfig(raw: unknown): ConfigResult {
  if (raw === undefined || raw === null)
    return { ok: false, problems: ["window.config is not set: /config.js did not load or did not set it."] };
  if (typeof raw !== "object" || Array.isArray(raw))
    return { ok: false, problems: ["window.config must be an object."] };
  const value = raw as Record<string, unknown>;
  const problems: string[] = [];
  const invokeUrl = value.invokeUrl;
  if (!isNonEmptyString(invokeUrl)) problems.push("invokeUrl is missing: it must be the API's base URL.");
  else if (!/^(https?:\/\/|\/)/.test(invokeUrl))
    problems.push(`invokeUrl '${invokeUrl}' must be an absolute http(s) URL or a path starting with '/'.`);
  const trimmed = isNonEmptyString(invokeUrl) ? invokeUrl.replace(/\/+$/, "") : "";

  if (value.auth === "local") {
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, config: { auth: "local", invokeUrl: trimmed } };
  }
  if (value.auth !== undefined && value.auth !== "cognito")
    return {
      ok: false,
      problems: [
        ...problems,
        `auth '${String(value.auth)}' is not known: use "local" or the Cognito fields.`,
      ],
    };
  for (const key of ["userPoolId", "userPoolClientId", "region"] as const) {
    if (!isNonEmptyString(value[key])) problems.push(`${key} is missing (needed for Cognito sign-in).`);
  }
  const { userPoolId, userPoolClientId, region, authFlow, cognitoEndpoint } = value;
  if (isNonEmptyString(region) && !REGION.test(region))
    problems.push(`region '${region}' is not an AWS region name (like 'eu-west-1').`);
  if (isNonEmptyString(userPoolId) && !USER_POOL_ID.test(userPoolId))
    problems.push(`userPoolId '${userPoolId}' is not a Cognito user pool id (like 'eu-west-1_AbCdEf123').`);
  if (isNonEmptyString(userPoolClientId) && !CLIENT_ID.test(userPoolClientId))
    problems.push(`userPoolClientId '${userPoolClientId}' is not a Cognito app client id.`);
  if (authFlow !== undefined && !COGNITO_AUTH_FLOWS.includes(authFlow as CognitoAuthFlow))
    problems.push(
      `authFlow '${String(authFlow)}' is not known: use "USER_SRP_AUTH" or "USER_PASSWORD_AUTH".`,
    );
  if (cognitoEndpoint !== undefined && !(isNonEmptyString(cognitoEndpoint) && isHttpUrl(cognitoEndpoint)))
    problems.push(`cognitoEndpoint '${String(cognitoEndpoint)}' must be an absolute http(s) URL.`);
  // On AWS the pool id starts with its region; a mismatch is a config.js from another deployment.
  if (
    cognitoEndpoint === undefined &&
    isNonEmptyString(userPoolId) &&
    isNonEmptyString(region) &&
    USER_POOL_ID.test(userPoolId) &&
    !userPoolId.startsWith(`${region}_`)
  )
    problems.push(`userPoolId '${userPoolId}' is not in region '${region}'.`);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      auth: "cognito",
      userPoolId: userPoolId as string,
      userPoolClientId: userPoolClientId as string,
      region: region as string,
      invokeUrl: trimmed,
      authFlow: (authFlow as CognitoAuthFlow | undefined) ?? "USER_SRP_AUTH",
      ...(cognitoEndpoint !== undefined ? { cognitoEndpoint: cognitoEndpoint as string } : {}),
    },
  };
}
