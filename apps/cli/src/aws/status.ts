import { ListJobsCommand } from "@aws-sdk/client-amplify";
import { readAlarms, type AlarmState, type CloudWatchSender } from "./alarms";
import type { AmplifySender } from "./amplify-deployment";
import { describeStack, type CloudFormationSender } from "./stack-outputs";
import { listStackResources } from "./stack-resources";

export interface DeploymentStatus {
  stackName: string;
  region: string;
  /** `NOT_DEPLOYED` when the stack does not exist. */
  stackStatus: string;
  stackStatusReason?: string;
  appUrl?: string;
  outputs: Record<string, string>;
  lastDeployment?: { jobId: string; status: string; startedAt?: string; endedAt?: string };
  /** The stack's CloudWatch alarms, firing ones first; empty when the stack does not exist. */
  alarms: AlarmState[];
  /** The CloudWatch dashboard with the alarms and the metrics behind them. */
  dashboardUrl: string;
}

/**
 * Gathers the stack's status and outputs, the app URL, the branch's last Amplify job and the
 * states of the stack's alarms.
 *
 * @example
 * ```ts
 * const status = await readDeploymentStatus({ cloudFormation, amplify, cloudWatch }, "Retouch", "us-west-2");
 * status.stackStatus; // "UPDATE_COMPLETE"
 * status.alarms.filter((a) => a.state === "ALARM"); // what is firing
 * ```
 */
export async function readDeploymentStatus(
  clients: { cloudFormation: CloudFormationSender; amplify: AmplifySender; cloudWatch: CloudWatchSender },
  stackName: string,
  region: string,
): Promise<DeploymentStatus> {
  const dashboardUrl = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/Retouch`;
  const stack = await describeStack(clients.cloudFormation, stackName);
  if (!stack)
    return { stackName, region, stackStatus: "NOT_DEPLOYED", outputs: {}, alarms: [], dashboardUrl };
  const status: DeploymentStatus = {
    stackName,
    region,
    stackStatus: stack.status,
    ...(stack.statusReason ? { stackStatusReason: stack.statusReason } : {}),
    ...(stack.outputs.AppUrl ? { appUrl: stack.outputs.AppUrl } : {}),
    outputs: stack.outputs,
    alarms: [],
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
  status.alarms = await readAlarms(
    clients.cloudWatch,
    await listStackResources(clients.cloudFormation, stackName),
  );
  return status;
}

const RED_BOLD = "\u001b[1;31m";
const RESET = "\u001b[0m";

/**
 * A short aligned table of a deployment's status, one row per alarm under the dashboard URL.
 * Alarms in `ALARM` are marked `!` (seen in a log or a pipe too) and, with `color`, in bold red.
 *
 * @example
 * ```ts
 * process.stdout.write(formatDeploymentStatus(status, { color: process.stdout.isTTY }));
 * ```
 */
export function formatDeploymentStatus(status: DeploymentStatus, options: { color?: boolean } = {}): string {
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
  const firing = new Set<number>();
  if (status.stackStatus !== "NOT_DEPLOYED") {
    rows.push(["alarms", status.dashboardUrl]);
    for (const alarm of status.alarms) {
      if (alarm.state === "ALARM") firing.add(rows.length);
      rows.push([`${alarm.state === "ALARM" ? "!" : " "} ${alarm.state}`, alarm.name]);
    }
  }
  const width = Math.max(...rows.map(([key]) => key.length));
  return (
    rows
      .map(([key, value], index) => {
        const line = `${key.padEnd(width)}  ${value}`;
        return options.color && firing.has(index) ? `${RED_BOLD}${line}${RESET}` : line;
      })
      .join("\n") + "\n"
  );
}
