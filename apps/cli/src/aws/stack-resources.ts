import { GetTemplateCommand, ListStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import type { CloudFormationSender } from "./stack-outputs";

/** Resource types holding users' data: what `--keep-data` keeps. */
const DATA_RESOURCE_TYPES = ["AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::Cognito::UserPool"] as const;

export type DataResourceType = (typeof DATA_RESOURCE_TYPES)[number];

export interface DataResource {
  type: DataResourceType;
  logicalId: string;
  /** Bucket name, table name or user pool id. */
  physicalId: string;
  /** `Retain`: CloudFormation leaves it behind when the stack is deleted. */
  deletionPolicy: "Retain" | "Delete";
}

function isDataType(type: string | undefined): type is DataResourceType {
  return (DATA_RESOURCE_TYPES as readonly string[]).includes(type ?? "");
}

/** One resource of the deployed stack, as `ListStackResources` reports it. */
export interface StackResource {
  type: string;
  logicalId: string;
  /** Its name or id in its service: a bucket name, a log group name, an alarm name… */
  physicalId: string;
}

/**
 * Every resource of the stack with a physical id, over all pages of `ListStackResources`.
 *
 * @example
 * ```ts
 * const alarms = (await listStackResources(cloudFormation, "Retouch"))
 *   .filter((r) => r.type === "AWS::CloudWatch::Alarm"); // physicalId: the alarm name
 * ```
 */
export async function listStackResources(
  cloudFormation: CloudFormationSender,
  stackName: string,
): Promise<StackResource[]> {
  const resources: StackResource[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: stackName, NextToken: nextToken }),
    );
    for (const summary of page.StackResourceSummaries ?? []) {
      if (!summary.ResourceType || !summary.LogicalResourceId || !summary.PhysicalResourceId) continue;
      resources.push({
        type: summary.ResourceType,
        logicalId: summary.LogicalResourceId,
        physicalId: summary.PhysicalResourceId,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return resources;
}

/**
 * The stack's buckets, table and user pool with their physical ids and the deletion policy its
 * deployed template gives each (the `keepData` context decides it at deploy time), plus every
 * resource of the stack (for what else must be found before the stack is gone, like log groups).
 *
 * @example
 * ```ts
 * const { data, all } = await readStackResources(cloudFormation, "Retouch");
 * data.filter((r) => r.deletionPolicy === "Retain"); // left behind by `cdk destroy`
 * ```
 */
export async function readStackResources(
  cloudFormation: CloudFormationSender,
  stackName: string,
): Promise<{ data: DataResource[]; all: StackResource[] }> {
  const { TemplateBody } = await cloudFormation.send(
    new GetTemplateCommand({ StackName: stackName, TemplateStage: "Original" }),
  );
  // CDK deploys JSON templates.
  const template = JSON.parse(TemplateBody ?? "{}") as {
    Resources?: Record<string, { DeletionPolicy?: string }>;
  };
  const all = await listStackResources(cloudFormation, stackName);
  const data: DataResource[] = [];
  for (const resource of all) {
    if (!isDataType(resource.type)) continue;
    const policy = template.Resources?.[resource.logicalId]?.DeletionPolicy;
    data.push({
      type: resource.type,
      logicalId: resource.logicalId,
      physicalId: resource.physicalId,
      deletionPolicy: policy === "Retain" || policy === "RetainExceptOnCreate" ? "Retain" : "Delete",
    });
  }
  return { data, all };
}

/**
 * The stack's buckets, table and user pool with the deletion policy of each.
 *
 * @example
 * ```ts
 * const data = await listDataResources(cloudFormation, "Retouch");
 * data.filter((r) => r.deletionPolicy === "Retain"); // left behind by `cdk destroy`
 * ```
 */
export async function listDataResources(
  cloudFormation: CloudFormationSender,
  stackName: string,
): Promise<DataResource[]> {
  return (await readStackResources(cloudFormation, stackName)).data;
}
