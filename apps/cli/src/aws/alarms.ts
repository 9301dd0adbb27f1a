import { DescribeAlarmsCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { StackResource } from "./stack-resources";

export type CloudWatchSender = Pick<CloudWatchClient, "send">;

export interface AlarmState {
  name: string;
  /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
  state: string;
  reason?: string;
  /** When the state last changed, ISO 8601. */
  since?: string;
}

const ALARM_TYPES = ["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"];
/** `DescribeAlarms` takes at most 100 names per call. */
const NAMES_PER_CALL = 100;
/** Alarms firing first: they are what a reader of the table is looking for. */
const STATE_ORDER = ["ALARM", "INSUFFICIENT_DATA", "OK"];

/**
 * The states of the stack's alarms. They are looked up by the names in the stack's resources
 * (CloudFormation names them `<stack>-<logical id>-<suffix>`) rather than by a `<stack>-` prefix,
 * which would also match the alarms of a stack named, say, `Retouch-Dev`. Firing alarms first.
 *
 * @example
 * ```ts
 * await readAlarms(cloudWatch, await listStackResources(cloudFormation, "Retouch"));
 * // [{ name: "Retouch-MonitoringApi5xxAlarm…", state: "ALARM", reason: "Threshold Crossed…" }, …]
 * ```
 */
export async function readAlarms(
  cloudWatch: CloudWatchSender,
  resources: StackResource[],
): Promise<AlarmState[]> {
  const names = resources.filter((r) => ALARM_TYPES.includes(r.type)).map((r) => r.physicalId);
  const alarms: AlarmState[] = [];
  for (let start = 0; start < names.length; start += NAMES_PER_CALL) {
    let nextToken: string | undefined;
    do {
      const page = await cloudWatch.send(
        new DescribeAlarmsCommand({
          AlarmNames: names.slice(start, start + NAMES_PER_CALL),
          AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
          NextToken: nextToken,
        }),
      );
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        if (!alarm.AlarmName) continue;
        alarms.push({
          name: alarm.AlarmName,
          state: alarm.StateValue ?? "UNKNOWN",
          ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
          ...(alarm.StateUpdatedTimestamp ? { since: alarm.StateUpdatedTimestamp.toISOString() } : {}),
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  const rank = (state: string) => {
    const index = STATE_ORDER.indexOf(state);
    return index === -1 ? STATE_ORDER.length : index;
  };
  return alarms.sort((a, b) => rank(a.state) - rank(b.state) || a.name.localeCompare(b.name));
}
