import { CliError } from "../fail";
import { describeStack, type CloudFormationSender } from "./stack-outputs";

/** The stack `cdk bootstrap` creates (its default qualifier). */
const BOOTSTRAP_STACK = "CDKToolkit";

export interface AccessProbes {
  /** Resolves the region as the SDK does (flag, AWS_REGION, profile); rejects when none is set. */
  region(): Promise<string>;
  /** Resolves credentials through the SDK's default chain; rejects when none is found. */
  credentials(): Promise<unknown>;
}

/** Settled states of a stack that exists; ROLLBACK_COMPLETE is a creation that failed. */
const USABLE = /^(CREATE|UPDATE|UPDATE_ROLLBACK|IMPORT)_COMPLETE$/;

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Resolves the region and credentials as the SDK will, failing with what to do when either is missing.
 *
 * @example
 * ```ts
 * const cfn = new CloudFormationClient({});
 * const { region } = await resolveAccess({ region: () => cfn.config.region(), credentials: () => cfn.config.credentials() });
 * ```
 */
export async function resolveAccess(probes: AccessProbes): Promise<{ region: string }> {
  const region = await probes.region().catch(() => {
    throw new CliError("No AWS region: pass --region (e.g. --region us-west-2) or set AWS_REGION.");
  });
  await probes.credentials().catch((error: unknown) => {
    throw new CliError(
      `No AWS credentials (${reason(error)}): configure them ` +
        "(aws configure, aws sso login, or AWS_PROFILE / AWS_ACCESS_KEY_ID).",
    );
  });
  return { region };
}

/**
 * Checks what `cdk deploy` needs before it starts, each failure with what to do about it: a region,
 * credentials, and a CDK bootstrap stack in that account and region (which also proves the
 * credentials work).
 *
 * @example
 * ```ts
 * const cfn = new CloudFormationClient({});
 * const { region } = await checkPrerequisites({
 *   region: () => cfn.config.region(),
 *   credentials: () => cfn.config.credentials(),
 *   cloudFormation: cfn,
 * });
 * ```
 */
export async function checkPrerequisites(
  probes: AccessProbes & { cloudFormation: CloudFormationSender },
): Promise<{ region: string }> {
  const { region } = await resolveAccess(probes);
  const bootstrap = await describeStack(probes.cloudFormation, BOOTSTRAP_STACK).catch((error: unknown) => {
    throw new CliError(`AWS refused the credentials in ${region}: ${reason(error)}`);
  });
  if (!bootstrap || !USABLE.test(bootstrap.status)) {
    throw new CliError(
      `CDK is not bootstrapped in ${region}` +
        (bootstrap ? ` (${BOOTSTRAP_STACK} is ${bootstrap.status})` : "") +
        `: run (cd infra && AWS_REGION=${region} npx cdk bootstrap) once, then deploy again.`,
    );
  }
  return { region };
}
