import {
  CreateDeploymentCommand,
  GetJobCommand,
  StartDeploymentCommand,
  type AmplifyClient,
} from "@aws-sdk/client-amplify";
import { CliError } from "../fail";

export type AmplifySender = Pick<AmplifyClient, "send">;

export interface AmplifyDeploymentOptions {
  amplify: AmplifySender;
  appId: string;
  branchName: string;
  /** The zipped web build (`index.html` at its root). */
  zip: Uint8Array;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Pause between job polls (default 5 s). */
  pollIntervalMs?: number;
  /** Give up waiting for the job after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Called with each job status as it is polled. */
  onStatus?: (status: string) => void;
}

const DONE = new Set(["SUCCEED", "FAILED", "CANCELLED"]);

/**
 * Publishes a web build on an Amplify branch without a repository: `CreateDeployment` → PUT of
 * the zip to the returned upload URL → `StartDeployment` → polls `GetJob` until the job ends.
 * Throws a `CliError` when the upload is refused, the job fails, or it outlasts the timeout.
 *
 * @example
 * ```ts
 * const { jobId } = await deployToAmplify({ amplify: new AmplifyClient({}), appId: "d123", branchName: "prod", zip });
 * ```
 */
export async function deployToAmplify(options: AmplifyDeploymentOptions): Promise<{ jobId: string }> {
  const { amplify, appId, branchName } = options;
  const created = await amplify.send(new CreateDeploymentCommand({ appId, branchName }));
  const jobId = created.jobId;
  const uploadUrl = created.zipUploadUrl;
  if (!jobId || !uploadUrl) throw new CliError("Amplify CreateDeployment returned no job id or upload URL.");

  const upload = await (options.fetch ?? fetch)(uploadUrl, {
    method: "PUT",
    headers: { "Content-Type": "application/zip" },
    body: options.zip,
  });
  if (!upload.ok) {
    throw new CliError(
      `Uploading the web build to Amplify failed: HTTP ${upload.status} ${await upload.text()}`,
    );
  }

  await amplify.send(new StartDeploymentCommand({ appId, branchName, jobId }));

  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  const interval = options.pollIntervalMs ?? 5_000;
  for (;;) {
    const { job } = await amplify.send(new GetJobCommand({ appId, branchName, jobId }));
    const status = job?.summary?.status ?? "UNKNOWN";
    options.onStatus?.(status);
    if (status === "SUCCEED") return { jobId };
    if (DONE.has(status)) {
      const failed = job?.steps?.find((step) => step.status === "FAILED");
      throw new CliError(
        `Amplify deployment job ${jobId} ended ${status}` +
          (failed?.statusReason ? `: ${failed.statusReason}` : "") +
          (failed?.logUrl ? ` (log: ${failed.logUrl})` : ""),
      );
    }
    if (Date.now() + interval > deadline) {
      throw new CliError(
        `Amplify deployment job ${jobId} is still ${status} after the timeout; check the Amplify console.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
