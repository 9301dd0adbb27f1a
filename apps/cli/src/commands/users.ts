import type { Command } from "commander";
import { loadConfig, type User } from "@retouch/core";
import { openLocalIdentity } from "@retouch/server";

interface DataDirFlag {
  dataDir?: string;
}

async function withIdentity<T>(
  flags: DataDirFlag,
  work: (identity: Awaited<ReturnType<typeof openLocalIdentity>>["identity"]) => Promise<T>,
) {
  const config = loadConfig(process.env, flags.dataDir ? { dataDir: flags.dataDir } : {});
  const { identity, close } = await openLocalIdentity(config);
  try {
    return await work(identity);
  } finally {
    close();
  }
}

function printTemporaryPassword(username: string, password: string) {
  process.stdout.write(
    `Temporary password for '${username}': ${password}\nThey must choose a new password at first sign-in.\n`,
  );
}

/** `retouch users add|list|remove|reset-password`: manage local accounts (there is no self sign-up). */
export function registerUsers(program: Command) {
  const users = program.command("users").description("Manage the local app's users (admin-created only)");
  const dataDir = ["-d, --data-dir <dir>", "data folder (RETOUCH_DATA_DIR, default .retouch-data)"] as const;

  users
    .command("add <username>")
    .description("Create a user with a temporary password they must change at first sign-in")
    .option("--email <email>", "the user's email (they can sign in with it too)")
    .option("--temporary-password <password>", "use this temporary password instead of a generated one")
    .option(...dataDir)
    .action(async (username: string, flags: DataDirFlag & { email?: string; temporaryPassword?: string }) => {
      await withIdentity(flags, async (identity) => {
        const { user, temporaryPassword } = await identity.createUser({
          username,
          email: flags.email ?? null,
          ...(flags.temporaryPassword ? { temporaryPassword: flags.temporaryPassword } : {}),
        });
        printTemporaryPassword(user.username, temporaryPassword);
      });
    });

  users
    .command("list")
    .description("List users")
    .option("--json", "print JSON")
    .option(...dataDir)
    .action(async (flags: DataDirFlag & { json?: boolean }) => {
      await withIdentity(flags, async (identity) => {
        const list = await identity.listUsers();
        process.stdout.write(flags.json ? JSON.stringify(list, null, 2) + "\n" : formatUsers(list));
      });
    });

  users
    .command("remove <username>")
    .description("Delete a user (their tokens stop working at once)")
    .option(...dataDir)
    .action(async (username: string, flags: DataDirFlag) => {
      await withIdentity(flags, async (identity) => {
        await identity.deleteUser(username);
        process.stdout.write(`Removed '${username}'.\n`);
      });
    });

  users
    .command("reset-password <username>")
    .description("Give a user a new temporary password; they must change it at next sign-in")
    .option("--temporary-password <password>", "use this temporary password instead of a generated one")
    .option(...dataDir)
    .action(async (username: string, flags: DataDirFlag & { temporaryPassword?: string }) => {
      await withIdentity(flags, async (identity) => {
        const { temporaryPassword } = await identity.resetPassword(username, flags.temporaryPassword);
        printTemporaryPassword(username, temporaryPassword);
      });
    });
}

function formatUsers(users: User[]): string {
  if (users.length === 0) return "No users.\n";
  const rows = [
    ["USERNAME", "EMAIL", "STATUS", "CREATED"],
    ...users.map((u) => [u.username, u.email ?? "-", u.status, u.createdAt]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}
