import { ListJobsCommand } from "@aws-sdk/client-amplify";
import type { AmplifySender } from "./amplify-deployment";
import { describeStack, type CloudFormationSender } from "./stack-outputs";

export interface DeploymentStatus {
  stackName: string;
  region: string;
  /** `NOT_DEPLOYED` when the stack does not exist. */
  stackStatus: string;
  stackStatusReason?: string;
  appUrl?: string;
  outputs: Record<string, string>;
  lastDeployment?: { jobId: string; status: string; startedAt?: string; endedAt?: string };
  /** Where the alarms are: reading their states needs `@aws-sdk/client-cloudwatch`, not a dependency. */
  dashboardUrl: string;
}

/**
 * Gathers the stack's status and outputs, the app URL and the branch's last Amplify job.
 *
 * @example
 * ```ts
 * const status = await readDeploymentStatus({ cloudFormation, amplify }, "Retouch", "us-west-2");
 * status.stackStatus; // "UPDATE_COMPLETE"
 * ```
 */
export async function readDeploymentStatus(
  clients: { cloudFormation: CloudFormationSender; amplify: AmplifySender },
  stackName: string,
  region: string,
): Promise<DeploymentStatus> {
  const dashboardUrl = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/Retouch`;
  const stack = await describeStack(clients.cloudFormation, stackName);
  if (!stack) return { stackName, region, stackStatus: "NOT_DEPLOYED", outputs: {}, dashboardUrl };
  const status: DeploymentStatus = {
    stackName,
    region,
    stackStatus: stack.status,
    ...(stack.statusReason ? { stackStatusReason: stack.statusReason } : {}),
    ...(stack.outputs.AppUrl ? { appUrl: stack.outputs.AppUrl } : {}),
    outputs: stack.outputs,
    dashboardUrl,
  };
  const { AmplifyAppId: appId, AmplifyBranch: branchName } = stack.outputs;
  if (appId && branchName) {
    const { jobSummaries } = await clients.amplify.send(
      new ListJobsCommand({ appId, branchName, maxResults: 1 }),
    );
    const job = jobSummaries?.[0];
    if (job?.jobId) {
      status.lastDeployment = {
        jobId: job.jobId,
        status: job.status ?? "UNKNOWN",
        ...(job.startTime ? { startedAt: job.startTime.toISOString() } : {}),
        ...(job.endTime ? { endedAt: job.endTime.toISOString() } : {}),
      };
    }
  }
  return status;
}

/**
 * A short aligned table of a deployment's status.
 *
 * @example
 * ```ts
 * process.stdout.write(formatDeploymentStatus(status));
 * ```
 */
export function formatDeploymentStatus(status: DeploymentStatus): string {
  const job = status.lastDeployment;
  const rows: [string, string][] = [
    ["stack", `${status.stackName} (${status.region})`],
    ["status", status.stackStatus + (status.stackStatusReason ? ` — ${status.stackStatusReason}` : "")],
  ];
  if (status.appUrl) rows.push(["app", status.appUrl]);
  if (job)
    rows.push([
      "last web deployment",
      `${job.status} (job ${job.jobId}${job.endedAt ? `, ${job.endedAt}` : ""})`,
    ]);
  for (const [key, value] of Object.entries(status.outputs).sort(([a], [b]) => a.localeCompare(b)))
    if (key !== "AppUrl") rows.push([key, value]);
  if (status.stackStatus !== "NOT_DEPLOYED") rows.push(["alarms", status.dashboardUrl]);
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n") + "\n";
}
