import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiError } from "../api/http";
import type { AuthProvider, NewPasswordChallenge } from "../auth/auth-provider";
import { checkPassword, isPasswordValid } from "../auth/password-policy";
import { AlertIcon, CheckIcon, CircleIcon, Logo } from "../ui/icons";
import { Spinner } from "../ui/Spinner";

/** Words for a failed sign-in, per status. */
export function signInErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return "Incorrect username or password.";
    if (error.status === 429) {
      const seconds = error.retryAfterSeconds;
      if (seconds && seconds > 0) return `Too many failed attempts. Try again in ${formatWait(seconds)}.`;
      return "Too many failed attempts. Try again in a few minutes.";
    }
    if (error.isNetworkError) return "Could not reach Retouch. Check your connection and try again.";
    return error.message;
  }
  return "Something went wrong. Try again.";
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} second${Math.ceil(seconds) === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function SignInFlow({ auth, notice }: { auth: AuthProvider; notice: string | null }) {
  const [challenge, setChallenge] = useState<NewPasswordChallenge | null>(null);
  return (
    <main className="auth-screen">
      {challenge ? (
        <NewPasswordForm auth={auth} challenge={challenge} onBack={() => setChallenge(null)} />
      ) : (
        <SignInForm auth={auth} notice={notice} onChallenge={setChallenge} />
      )}
    </main>
  );
}

function AuthBrand() {
  return (
    <div className="auth-brand">
      <Logo size={32} />
      <span>Retouch</span>
    </div>
  );
}

function SignInForm({
  auth,
  notice,
  onChallenge,
}: {
  auth: AuthProvider;
  notice: string | null;
  onChallenge(challenge: NewPasswordChallenge): void;
}) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => usernameRef.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await auth.signIn(username.trim(), password);
      if ("challenge" in result) onChallenge(result);
    } catch (failure) {
      setError(signInErrorMessage(failure));
      setBusy(false);
    }
  }

  return (
    <form className="auth-card" onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
      <AuthBrand />
      <h1 id="sign-in-title" className="auth-title">
        Sign in
      </h1>
      <p className="auth-subtitle">Edit photos with AI: paint what should change, say what goes there.</p>
      {notice && !error && (
        <div className="notice notice--info" role="status">
          {notice}
        </div>
      )}
      <div className="field">
        <label htmlFor="username">Username or email</label>
        <input
          ref={usernameRef}
          id="username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          aria-describedby={error ? errorId : undefined}
          aria-invalid={error ? true : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby={error ? errorId : undefined}
          aria-invalid={error ? true : undefined}
        />
      </div>
      <div aria-live="assertive" id={errorId}>
        {error && (
          <div className="notice notice--error" role="alert">
            <AlertIcon />
            <span>{error}</span>
          </div>
        )}
      </div>
      <button className="btn btn--primary btn--block" type="submit" disabled={busy || !username || !password}>
        {busy ? <Spinner label="Signing in" /> : null}
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <p className="auth-foot muted small">
        First time here? Sign in with the temporary password you were given; you will choose your own next.
      </p>
    </form>
  );
}

function NewPasswordForm({
  auth,
  challenge,
  onBack,
}: {
  auth: AuthProvider;
  challenge: NewPasswordChallenge;
  onBack(): void;
}) {
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rules = checkPassword(password);
  const matches = confirm.length > 0 && confirm === password;
  const valid = isPasswordValid(password) && matches;
  const policyId = useId();
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => firstRef.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    try {
      await auth.completeNewPassword(challenge, password);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401)
        setError("This sign-in has expired. Go back and sign in with your temporary password again.");
      else setError(failure instanceof ApiError ? failure.message : "Something went wrong. Try again.");
      setBusy(false);
    }
  }

  return (
    <form className="auth-card" onSubmit={submit} aria-labelledby="new-password-title" noValidate>
      <AuthBrand />
      <h1 id="new-password-title" className="auth-title">
        Choose a new password
      </h1>
      <p className="auth-subtitle">
        Signed in as <strong>{challenge.username}</strong> with a temporary password. Choose the password you
        will use from now on.
      </p>
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input
          ref={firstRef}
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby={policyId}
        />
      </div>
      <ul className="policy" id={policyId} aria-label="Password requirements">
        {rules.map((rule) => (
          <li key={rule.id} className={rule.ok ? "policy-ok" : undefined}>
            {rule.ok ? <CheckIcon size={14} /> : <CircleIcon size={14} />}
            <span>{rule.label}</span>
            <span className="visually-hidden">{rule.ok ? "(met)" : "(not met yet)"}</span>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="confirm-password">Confirm new password</label>
        <input
          id="confirm-password"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          aria-invalid={confirm.length > 0 && !matches ? true : undefined}
        />
        {confirm.length > 0 && !matches && (
          <p className="field-hint field-hint--error">The passwords differ.</p>
        )}
      </div>
      <div aria-live="assertive">
        {error && (
          <div className="notice notice--error" role="alert">
            <AlertIcon />
            <span>{error}</span>
          </div>
        )}
      </div>
      <button className="btn btn--primary btn--block" type="submit" disabled={!valid || busy}>
        {busy ? <Spinner label="Saving" /> : null}
        {busy ? "Saving…" : "Set password and continue"}
      </button>
      <button className="btn btn--ghost btn--block" type="button" onClick={onBack}>
        Back to sign in
      </button>
    </form>
  );
}
