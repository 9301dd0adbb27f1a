import { useCallback, useMemo, useRef, useSyncExternalStore } from "react";
import type { AuthProvider } from "./auth/auth-provider";
import { UnsupportedAuthError, createAuthProvider } from "./auth/create-auth-provider";
import type { ConfigResult } from "./config";
import { ConfigErrorScreen } from "./screens/ConfigErrorScreen";
import { SignInFlow } from "./screens/SignInFlow";
import { Workspace } from "./workspace/Workspace";

type Boot =
  | { ok: true; auth: AuthProvider; invokeUrl: string }
  | { ok: false; problems: string[]; unsupported: boolean };

function boot(config: ConfigResult): Boot {
  if (!config.ok) return { ok: false, problems: config.problems, unsupported: false };
  try {
    return { ok: true, auth: createAuthProvider(config.config), invokeUrl: config.config.invokeUrl };
  } catch (error) {
    return {
      ok: false,
      problems: [error instanceof Error ? error.message : String(error)],
      unsupported: error instanceof UnsupportedAuthError,
    };
  }
}

export function App({ config }: { config: ConfigResult }) {
  const booted = useMemo(() => boot(config), [config]);
  if (!booted.ok) return <ConfigErrorScreen problems={booted.problems} unsupported={booted.unsupported} />;
  return <SignedInGate auth={booted.auth} invokeUrl={booted.invokeUrl} />;
}

function SignedInGate({ auth, invokeUrl }: { auth: AuthProvider; invokeUrl: string }) {
  const subscribe = useCallback((listener: () => void) => auth.subscribe(listener), [auth]);
  const user = useSyncExternalStore(subscribe, () => auth.currentUser()?.username ?? null);
  // Signed out without asking (a refused refresh): say why on the sign-in screen.
  const wasSignedIn = useRef(user !== null);
  const signingOut = useRef(false);
  let notice: string | null = null;
  if (!user && wasSignedIn.current && !signingOut.current)
    notice = "Your session has expired. Sign in again.";
  if (user) {
    wasSignedIn.current = true;
    signingOut.current = false;
  }

  if (!user) return <SignInFlow auth={auth} notice={notice} />;
  return (
    <Workspace
      auth={auth}
      invokeUrl={invokeUrl}
      username={user}
      onSignOut={() => {
        signingOut.current = true;
        auth.signOut();
      }}
    />
  );
}
