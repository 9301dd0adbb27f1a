import { Duration } from "aws-cdk-lib";
import type * as apigw from "aws-cdk-lib/aws-apigateway";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { NagSuppressions } from "cdk-nag";
import { Construct } from "constructs";
import { BEDROCK_FAILURES_METRIC } from "./environment";

export interface MonitoringProps {
  api: apigw.RestApi;
  /** Functions by a short label ("Api", "Worker"). */
  functions: Record<string, lambda.IFunction>;
  queue: sqs.IQueue;
  deadLetterQueue: sqs.IQueue;
  /** Where alarm and recovery notifications are emailed (SNS asks the address to confirm first). */
  alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Alarms (API 5xx, function errors/throttles, DLQ not empty, Bedrock failures), each notifying
 * one SNS topic when it fires and when it recovers (emailed to `alarmEmail` when given), and a
 * dashboard.
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    this.alarmTopic = new sns.Topic(this, "AlarmTopic", {
      displayName: "Retouch alarms",
      enforceSSL: true,
    });
    if (props.alarmEmail)
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    NagSuppressions.addResourceSuppressions(this.alarmTopic, [
      {
        id: "AwsSolutions-SNS2",
        reason:
          "Alarm notifications carry alarm names and states, no user data; CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed key would add a monthly cost.",
      },
    ]);

    const atLeastOne = (alarmId: string, description: string, metric: cloudwatch.IMetric) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(alarm);
      return alarm;
    };

    atLeastOne(
      "Api5xxAlarm",
      "The API answered with 5xx errors",
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: "Sum" }),
    );
    for (const [label, fn] of Object.entries(props.functions)) {
      atLeastOne(
        `${label}ErrorsAlarm`,
        `The ${label} function failed (uncaught errors or timeouts)`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
      );
      atLeastOne(
        `${label}ThrottlesAlarm`,
        `The ${label} function was throttled`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: "Sum" }),
      );
    }

    const deadLetters = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: "Maximum",
    });
    const dlqAlarm = new cloudwatch.Alarm(this, "DeadLetterQueueAlarm", {
      alarmDescription: "Edit jobs reached the dead-letter queue",
      metric: deadLetters,
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarms.push(dlqAlarm);

    const bedrockFailures = new cloudwatch.Metric({
      namespace: BEDROCK_FAILURES_METRIC.namespace,
      metricName: BEDROCK_FAILURES_METRIC.metricName,
      dimensionsMap: { service: BEDROCK_FAILURES_METRIC.service },
      period: FIVE_MINUTES,
      statistic: "Sum",
    });
    atLeastOne("BedrockFailuresAlarm", "Bedrock model calls failed", bedrockFailures);

    const notify = new cloudwatchActions.SnsAction(this.alarmTopic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }

    const fns = Object.entries(props.functions);
    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: "Retouch",
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms: this.alarms, width: 24 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "API requests and errors",
        left: [
          props.api.metricCount({ period: FIVE_MINUTES }),
          props.api.metricClientError({ period: FIVE_MINUTES }),
          props.api.metricServerError({ period: FIVE_MINUTES }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: "API latency (p50, p99)",
        left: [
          props.api.metricLatency({ period: FIVE_MINUTES, statistic: "p50" }),
          props.api.metricLatency({ period: FIVE_MINUTES, statistic: "p99" }),
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Function invocations, errors, throttles",
        left: fns.flatMap(([label, fn]) => [
          fn.metricInvocations({ period: FIVE_MINUTES, label: `${label} invocations` }),
          fn.metricErrors({ period: FIVE_MINUTES, label: `${label} errors` }),
          fn.metricThrottles({ period: FIVE_MINUTES, label: `${label} throttles` }),
        ]),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: "Function duration (p99)",
        left: fns.map(([label, fn]) => fn.metricDuration({ period: FIVE_MINUTES, statistic: "p99", label })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Edit queue",
        left: [
          props.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
          props.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1) }),
          deadLetters,
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: "Bedrock failures", left: [bedrockFailures], width: 12 }),
    );
  }
}
