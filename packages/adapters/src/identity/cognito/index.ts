import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  type AttributeType,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  type UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { z } from "zod";
import {
  ConflictError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  UsernameSchema,
  ValidationError,
  passwordProblems,
  type Identity,
  type SignInResult,
  type TokenSet,
  type User,
} from "@retouch/core";
import { createAccessTokenVerifier } from "./access-token-verifier";
import { generateTemporaryPassword } from "../local-jwt/temporary-password";

/**
 * Settings of the Cognito identity.
 *
 * @example
 * ```ts
 * const options: CognitoIdentityOptions = {
 *   client: new CognitoIdentityProviderClient({ region: "eu-west-1" }),
 *   userPoolId: "eu-west-1_AbCdEf123",
 *   clientId: "4l5k6j7h8g9f0d1s2a3",
 * };
 * ```
 */
export interface CognitoIdentityOptions {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
  /** The app client (no secret) with `ALLOW_USER_PASSWORD_AUTH` and `ALLOW_REFRESH_TOKEN_AUTH`. */
  clientId: string;
  /**
   * The `iss` claim when it is not AWS's (`https://cognito-idp.<region>.amazonaws.com/<pool>`),
   * e.g. `http://localhost:9229/local_abc` for cognito-local; its JWKS is read from
   * `${issuer}/.well-known/jwks.json`.
   */
  issuer?: string;
}

const INCORRECT = "Incorrect username or password.";
const SESSION_EXPIRED = "Your sign-in session has expired; sign in again";
const REFRESH_REFUSED = "The refresh token is invalid or has expired; sign in again";
const TOKEN_REFUSED = "The access token is invalid or has expired";
const EmailSchema = z.email();

/** The name of a Cognito service exception (`NotAuthorizedException`, ...), or `undefined`. */
function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function assertPassword(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length > 0) {
    throw new ValidationError(`Password must contain: ${problems.join(", ")}`, { problems });
  }
}

function attribute(attributes: AttributeType[] | undefined, name: string): string | undefined {
  return attributes?.find((a) => a.Name === name)?.Value;
}

function toUser(
  username: string,
  attributes: AttributeType[] | undefined,
  status: string | undefined,
  created: Date | undefined,
): User {
  return {
    id: attribute(attributes, "sub") ?? username,
    username,
    email: attribute(attributes, "email") ?? null,
    status: status === "FORCE_CHANGE_PASSWORD" ? "FORCE_CHANGE_PASSWORD" : "CONFIRMED",
    createdAt: (created ?? new Date(0)).toISOString(),
  };
}

function toTokens(result: AuthenticationResultType | undefined, refreshToken?: string): TokenSet {
  const refresh = result?.RefreshToken ?? refreshToken;
  if (!result?.AccessToken || !result.IdToken || !refresh) {
    throw new UnauthorizedError(INCORRECT);
  }
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: refresh,
    expiresIn: result.ExpiresIn ?? 3600,
    tokenType: "Bearer",
  };
}

/**
 * The Cognito `Identity`: users live in a Cognito user pool (admin-created only), sign-in uses
 * `USER_PASSWORD_AUTH` with Cognito's `NEW_PASSWORD_REQUIRED` challenge, and access tokens are
 * verified with `aws-jwt-verify` (signature, issuer, client, expiry, token use). Cognito errors
 * become the typed errors of `@retouch/core` (`UnauthorizedError`, `ConflictError`, ...).
 * Usernames are stored in lower case, so sign-in is case-insensitive as with `local-jwt`.
 *
 * @example
 * ```ts
 * const identity = createIdentity({
 *   client: new CognitoIdentityProviderClient({ region: "eu-west-1" }),
 *   userPoolId: "eu-west-1_AbCdEf123",
 *   clientId: "4l5k6j7h8g9f0d1s2a3",
 * });
 * const { temporaryPassword } = await identity.createUser({ username: "ana" });
 * const first = await identity.signIn("ana", temporaryPassword); // { kind: "challenge", ... }
 * ```
 */
export function createIdentity(options: CognitoIdentityOptions): Identity {
  const { client, userPoolId, clientId } = options;
  const verifier = createAccessTokenVerifier(options);

  /** Runs a Cognito call, turning throttling into `TooManyRequestsError`. */
  async function call<T>(run: () => Promise<T>, map: Record<string, () => Error> = {}): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const name = errorName(error);
      const mapped = name ? map[name] : undefined;
      if (mapped) throw mapped();
      if (name === "TooManyRequestsException" || name === "TooManyFailedAttemptsException") {
        throw new TooManyRequestsError("Too many attempts; try again later", 1);
      }
      if (name === "InvalidPasswordException") {
        throw new ValidationError(error instanceof Error ? error.message : "Invalid password");
      }
      throw error;
    }
  }

  const canonical = (username: string) => username.trim().toLowerCase();

  async function findByEmail(email: string): Promise<UserType | undefined> {
    const escaped = email.replace(/["\\]/g, "");
    const { Users } = await call(() =>
      client.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: `email = "${escaped}"` })),
    );
    return Users?.find((u) => attribute(u.Attributes, "email")?.toLowerCase() === email.toLowerCase());
  }

  /** The pool's username for a sign-in name: a username in any case, or an email. */
  async function resolveUsername(name: string): Promise<string> {
    if (name.includes("@")) {
      const found = await findByEmail(name.trim());
      if (found?.Username) return found.Username;
    }
    return canonical(name);
  }

  async function getUser(username: string): Promise<User | null> {
    try {
      const user = await client.send(
        new AdminGetUserCommand({ UserPoolId: userPoolId, Username: canonical(username) }),
      );
      return toUser(
        user.Username ?? canonical(username),
        user.UserAttributes,
        user.UserStatus,
        user.UserCreateDate,
      );
    } catch (error) {
      if (errorName(error) === "UserNotFoundException") return null;
      throw error;
    }
  }

  return {
    async verifyAccessToken(token) {
      let payload: Record<string, unknown>;
      try {
        payload = (await verifier.verify(token)) as unknown as Record<string, unknown>;
      } catch {
        throw new UnauthorizedError(TOKEN_REFUSED);
      }
      if (typeof payload.sub !== "string" || typeof payload.username !== "string") {
        throw new UnauthorizedError(TOKEN_REFUSED);
      }
      return { userId: payload.sub, username: payload.username };
    },

    async signIn(name, password) {
      const username = await resolveUsername(name);
      const incorrect = () => new UnauthorizedError(INCORRECT);
      const result = await call(
        () =>
          client.send(
            new InitiateAuthCommand({
              ClientId: clientId,
              AuthFlow: "USER_PASSWORD_AUTH",
              AuthParameters: { USERNAME: username, PASSWORD: password },
            }),
          ),
        {
          NotAuthorizedException: incorrect,
          UserNotFoundException: incorrect,
          PasswordResetRequiredException: incorrect,
          // cognito-local's answer to a wrong password (AWS says NotAuthorizedException).
          InvalidPasswordException: incorrect,
        },
      );
      if (result.ChallengeName === "NEW_PASSWORD_REQUIRED" && result.Session) {
        const challenged = result.ChallengeParameters?.USER_ID_FOR_SRP ?? username;
        return {
          kind: "challenge",
          challenge: "NEW_PASSWORD_REQUIRED",
          session: result.Session,
          username: challenged,
        } satisfies SignInResult;
      }
      if (result.ChallengeName) throw new UnauthorizedError(`Unsupported challenge ${result.ChallengeName}`);
      return { kind: "tokens", tokens: toTokens(result.AuthenticationResult) };
    },

    async completeNewPassword(username, session, newPassword) {
      assertPassword(newPassword);
      const expired = () => new UnauthorizedError(SESSION_EXPIRED);
      const result = await call(
        () =>
          client.send(
            new RespondToAuthChallengeCommand({
              ClientId: clientId,
              ChallengeName: "NEW_PASSWORD_REQUIRED",
              Session: session,
              ChallengeResponses: { USERNAME: canonical(username), NEW_PASSWORD: newPassword },
            }),
          ),
        {
          NotAuthorizedException: expired,
          CodeMismatchException: expired,
          ExpiredCodeException: expired,
          UserNotFoundException: expired,
          InvalidParameterException: expired,
        },
      );
      return toTokens(result.AuthenticationResult);
    },

    async refresh(refreshToken) {
      const refused = () => new UnauthorizedError(REFRESH_REFUSED);
      const result = await call(
        () =>
          client.send(
            new InitiateAuthCommand({
              ClientId: clientId,
              AuthFlow: "REFRESH_TOKEN_AUTH",
              AuthParameters: { REFRESH_TOKEN: refreshToken },
            }),
          ),
        {
          NotAuthorizedException: refused,
          UserNotFoundException: refused,
          InvalidParameterException: refused,
        },
      ).catch((error: unknown) => {
        if (error instanceof UnauthorizedError || error instanceof TooManyRequestsError) throw error;
        throw refused();
      });
      return toTokens(result.AuthenticationResult, refreshToken);
    },

    async createUser(input) {
      const parsed = UsernameSchema.safeParse(input.username);
      if (!parsed.success) throw new ValidationError(parsed.error.issues[0]?.message ?? "invalid username");
      const username = canonical(parsed.data);
      const email = input.email ?? null;
      if (email !== null && !EmailSchema.safeParse(email).success) {
        throw new ValidationError("email is not a valid address");
      }
      const temporaryPassword = input.temporaryPassword ?? generateTemporaryPassword();
      assertPassword(temporaryPassword);
      if (email !== null && (await findByEmail(email))) {
        throw new ConflictError(`a user with email '${email}' already exists`);
      }
      const created = await call(
        () =>
          client.send(
            new AdminCreateUserCommand({
              UserPoolId: userPoolId,
              Username: username,
              TemporaryPassword: temporaryPassword,
              MessageAction: "SUPPRESS",
              UserAttributes:
                email === null
                  ? []
                  : [
                      { Name: "email", Value: email },
                      { Name: "email_verified", Value: "true" },
                    ],
            }),
          ),
        {
          UsernameExistsException: () => new ConflictError(`user '${username}' already exists`),
          AliasExistsException: () => new ConflictError(`a user with email '${email}' already exists`),
        },
      );
      const user = created.User;
      return {
        user: toUser(
          user?.Username ?? username,
          user?.Attributes,
          user?.UserStatus ?? "FORCE_CHANGE_PASSWORD",
          user?.UserCreateDate,
        ),
        temporaryPassword,
      };
    },

    async listUsers() {
      const users: User[] = [];
      let token: string | undefined;
      do {
        const page = await call(() =>
          client.send(new ListUsersCommand({ UserPoolId: userPoolId, PaginationToken: token })),
        );
        for (const u of page.Users ?? []) {
          if (u.Username) users.push(toUser(u.Username, u.Attributes, u.UserStatus, u.UserCreateDate));
        }
        token = page.PaginationToken;
      } while (token);
      return users;
    },

    getUser,

    async deleteUser(username) {
      await call(
        () =>
          client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: canonical(username) })),
        { UserNotFoundException: () => new NotFoundError("user", username) },
      );
    },

    async resetPassword(username, given) {
      const temporaryPassword = given ?? generateTemporaryPassword();
      assertPassword(temporaryPassword);
      const notFound = () => new NotFoundError("user", username);
      await call(
        () =>
          client.send(
            new AdminSetUserPasswordCommand({
              UserPoolId: userPoolId,
              Username: canonical(username),
              Password: temporaryPassword,
              Permanent: false,
            }),
          ),
        { UserNotFoundException: notFound },
      );
      // Refresh tokens issued before the reset stop working. cognito-local does not implement
      // this call (it answers `CognitoLocal#Unsupported`); only that answer is tolerated.
      await call(() =>
        client.send(
          new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: canonical(username) }),
        ),
      ).catch((error: unknown) => {
        if (!/Unsupported/.test(errorName(error) ?? "")) throw error;
      });
      return { temporaryPassword };
    },
  };
}
