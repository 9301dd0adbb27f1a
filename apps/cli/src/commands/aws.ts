import type { Command } from "commander";

/** The handlers (and the AWS SDKs) load only when an `aws` command runs, not at every start. */
const handlers = () => import("../aws/aws-commands");

/**
 * `retouch aws deploy|destroy|status`: Retouch on AWS (Amplify, Cognito, API Gateway, Lambda, Bedrock).
 *
 * @example
 * ```ts
 * registerAws(new Command("retouch"));
 * ```
 */
export function registerAws(program: Command) {
  const aws = program
    .command("aws")
    .description("Deploy Retouch to your AWS account, check it, and remove it");
  const region = ["--region <region>", "AWS region (default: AWS_REGION or your profile's)"] as const;

  aws
    .command("deploy")
    .description("Deploy the stack (cdk deploy), publish the web editor on Amplify and create the first user")
    .option(...region)
    .option(
      "--admin-email <email>",
      "required: email of the first user (the user pool requires one; gets the invitation)",
    )
    .option("--admin-username <name>", "username of the first user", "admin")
    .option(
      "--keep-data",
      "retain the buckets, table and user pool if the stack is deleted (the stack's default)",
    )
    .option("--no-keep-data", "let the stack delete them with it")
    .option("-y, --yes", "do not ask for confirmation")
    .addHelpText(
      "after",
      "\nNeeds AWS credentials, a region where the Bedrock image models are offered, and a CDK bootstrap\n" +
        "(cd infra && npx cdk bootstrap). Safe to run again: it updates the stack and the editor and\n" +
        "leaves an existing first user alone.",
    )
    .action(async (flags: Record<string, unknown>) => (await handlers()).awsDeploy(flags));

  aws
    .command("destroy")
    .description(
      "Remove the deployment: Amplify app, stack, and (unless --keep-data) images, edits and users",
    )
    .option(...region)
    .option("--keep-data", "keep the buckets, table and user pool (images, edits and their owners)")
    .option("-y, --yes", "do not ask to type the stack name")
    .addHelpText(
      "after",
      "\nAfter the stack, it deletes the log groups that outlived it (the functions' and the API's\n" +
        "access logs; a late invocation re-creates a function's), with or without --keep-data.",
    )
    .action(async (flags: Record<string, unknown>) => {
      await (await handlers()).awsDestroy(flags);
    });

  aws
    .command("status")
    .description("Show the stack status, outputs, app URL, last web deployment and alarm states")
    .option(...region)
    .option("--json", "print JSON")
    .action(async (flags: Record<string, unknown>) => (await handlers()).awsStatus(flags));
}
