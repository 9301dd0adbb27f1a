import {
  AdminCreateUserCommand,
  DescribeUserPoolCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { CliError } from "../fail";
import { generateTemporaryPassword } from "./temporary-password";

export type CognitoSender = Pick<CognitoIdentityProviderClient, "send">;

export interface FirstUserRequest {
  cognito: CognitoSender;
  userPoolId: string;
  username: string;
  /** Set as a verified email; Cognito then also mails the invitation. */
  email?: string;
}

export type FirstUserResult =
  | { created: true; username: string; temporaryPassword: string; emailed: boolean }
  | { created: false; username: string };

/**
 * Creates the deployment's first user with a generated temporary password (changed at first
 * sign-in). Idempotent: when the username is taken it reports `created: false` and leaves that
 * user, and their password, alone.
 *
 * @example
 * ```ts
 * const result = await createFirstUser({ cognito, userPoolId, username: "admin", email: "me@example.com" });
 * if (result.created) console.log(result.temporaryPassword);
 * ```
 */
export async function createFirstUser(request: FirstUserRequest): Promise<FirstUserResult> {
  const { cognito, userPoolId, username, email } = request;
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  const temporaryPassword = generateTemporaryPassword(UserPool?.Policies?.PasswordPolicy?.MinimumLength);
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: username,
        TemporaryPassword: temporaryPassword,
        ...(email
          ? {
              UserAttributes: [
                { Name: "email", Value: email },
                { Name: "email_verified", Value: "true" },
              ],
              DesiredDeliveryMediums: ["EMAIL"],
            }
          : // Nowhere to send an invitation: the password is printed instead.
            { MessageAction: "SUPPRESS" }),
      }),
    );
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "UsernameExistsException") return { created: false, username };
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `Cognito refused to create '${username}': ${message}` +
        (email ? "" : " (the stack's user pool requires an email: pass --admin-email)"),
    );
  }
  return { created: true, username, temporaryPassword, emailed: Boolean(email) };
}
