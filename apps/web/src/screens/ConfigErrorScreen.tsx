import { AlertIcon, Logo } from "../ui/icons";

export function ConfigErrorScreen({
  problems,
  unsupported = false,
}: {
  problems: string[];
  /** The configuration is valid but names an identity provider this build cannot use. */
  unsupported?: boolean;
}) {
  return (
    <main className="auth-screen">
      <section className="auth-card auth-card--wide" aria-labelledby="config-error-title">
        <div className="auth-brand">
          <Logo size={32} />
          <span>Retouch</span>
        </div>
        <div className="notice notice--error" role="alert">
          <AlertIcon />
          <div>
            <h1 id="config-error-title" className="notice-title">
              Retouch cannot start
            </h1>
            <p>
              {unsupported
                ? "This deployment's configuration (/config.js) names a sign-in this build does not offer:"
                : "This deployment's configuration (/config.js) is missing or invalid:"}
            </p>
            <ul className="problem-list">
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </div>
        </div>
        <p className="muted small">
          <code>config.js</code> must set{" "}
          <code>
            window.config = {"{"} auth: "local", invokeUrl: "/api" {"}"}
          </code>{" "}
          for a local server, or{" "}
          <code>
            {"{"} userPoolId, userPoolClientId, region, invokeUrl {"}"}
          </code>{" "}
          on AWS. If you run Retouch yourself, start it with <code>npm start</code> and open the address it
          prints.
        </p>
      </section>
    </main>
  );
}
