import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import { NagSuppressions } from "cdk-nag";
import { Construct } from "constructs";

export interface AuthProps {
  /** Cognito's deletion protection on the user pool. */
  deletionProtection: boolean;
  /** Retain the user pool (its users) when the stack is deleted. */
  keepData: boolean;
}

/**
 * `ImageEditUserPool`: users are created by an administrator (`retouch aws deploy --admin-email`,
 * `AdminCreateUser`) with a temporary password they must change at first sign-in; nobody signs
 * themselves up. The web editor signs in with SRP through a public client (no secret).
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, "ImageEditUserPool", {
      userPoolName: "ImageEditUserPool",
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 8,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: "Your Retouch account",
        emailBody:
          "An account was created for you in Retouch. Username: {username} Temporary password: {####} " +
          "You will choose a new password at your first sign-in.",
      },
      deletionProtection: props.deletionProtection,
      removalPolicy: props.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.userPoolClient = this.userPool.addClient("WebClient", {
      userPoolClientName: "retouch-web",
      generateSecret: false,
      // The SPA signs in with SRP through the Cognito API; no hosted UI, so no OAuth flows.
      disableOAuth: true,
      authFlows: { userSrp: true, userPassword: false, adminUserPassword: false, custom: false },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });

    NagSuppressions.addResourceSuppressions(this.userPool, [
      {
        id: "AwsSolutions-COG2",
        reason:
          "Users are created only by an administrator with a temporary password; the web editor's sign-in " +
          "implements SRP and NEW_PASSWORD_REQUIRED, not MFA challenges, so requiring MFA would lock users out.",
      },
      {
        id: "AwsSolutions-COG8",
        reason:
          "Threat protection needs the Cognito Plus feature plan, billed per monthly active user; the pool is " +
          "invitation-only (no self sign-up), with the strongest default password policy and no user-existence errors.",
      },
    ]);
  }
}
