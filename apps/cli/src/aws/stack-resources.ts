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

/**
 * The stack's buckets, table and user pool with their physical ids and the deletion policy its
 * deployed template gives each (the `keepData` context decides it at deploy time).
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
  const { TemplateBody } = await cloudFormation.send(
    new GetTemplateCommand({ StackName: stackName, TemplateStage: "Original" }),
  );
  // CDK deploys JSON templates.
  const template = JSON.parse(TemplateBody ?? "{}") as {
    Resources?: Record<string, { DeletionPolicy?: string }>;
  };
  const resources: DataResource[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudFormation.send(
      new ListStackResourcesCommand({ StackName: stackName, NextToken: nextToken }),
    );
    for (const summary of page.StackResourceSummaries ?? []) {
      if (!isDataType(summary.ResourceType) || !summary.LogicalResourceId || !summary.PhysicalResourceId)
        continue;
      const policy = template.Resources?.[summary.LogicalResourceId]?.DeletionPolicy;
      resources.push({
        type: summary.ResourceType,
        logicalId: summary.LogicalResourceId,
        physicalId: summary.PhysicalResourceId,
        deletionPolicy: policy === "Retain" || policy === "RetainExceptOnCreate" ? "Retain" : "Delete",
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return resources;
}
