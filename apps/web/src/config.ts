/**
 * The runtime configuration the server (or Amplify) serves as `/config.js`, loaded by
 * `index.html` before the app bundle so one build serves every deployment.
 */
export type RuntimeConfig =
  | { auth: "local"; invokeUrl: string }
  | { auth: "cognito"; userPoolId: string; userPoolClientId: string; region: string; invokeUrl: string };

export type ConfigResult = { ok: true; config: RuntimeConfig } | { ok: false; problems: string[] };

declare global {
  interface Window {
    config?: unknown;
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/**
 * Validates `window.config`. Answers every problem at once so the error screen can list them.
 *
 * @example
 * ```ts
 * parseConfig({ auth: "local", invokeUrl: "/api" }); // → { ok: true, config: {...} }
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
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      auth: "cognito",
      userPoolId: value.userPoolId as string,
      userPoolClientId: value.userPoolClientId as string,
      region: value.region as string,
      invokeUrl: trimmed,
    },
  };
}
