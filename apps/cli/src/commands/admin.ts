import type { Command } from "commander";
import type { Actor, UserEntity, UserService } from "@valuetier/api";
import { CliError } from "../cli-error";
import { databaseConfig } from "../database-config";
import { printJson, type CliIo } from "../io";

/** The command's io, with the stream `--password-stdin` reads (process.stdin unless a test gives one). */
export type AdminIo = CliIo & { stdin?: NodeJS.ReadableStream };

interface CommonOptions {
  email: string;
  databaseUrl?: string;
  json?: boolean;
}

interface CreateOptions extends CommonOptions {
  name?: string;
  password?: string;
  passwordStdin?: boolean;
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer | string));
  return Buffer.concat(chunks).toString("utf8");
}

async function passwordOf(options: CreateOptions, io: AdminIo): Promise<string> {
  if (options.password !== undefined && options.passwordStdin) {
    throw new CliError("give the password with --password or --password-stdin, not both");
  }
  if (options.passwordStdin) {
    // One trailing line break is what `echo` or a here-string adds; it is not part of the password.
    const password = (await readStdin(io.stdin ?? process.stdin)).replace(/\r?\n$/, "");
    if (password === "") throw new CliError("--password-stdin read an empty password");
    return password;
  }
  if (options.password !== undefined) return options.password;
  throw new CliError("a password is required: --password-stdin (preferred) or --password P");
}

const userView = (user: UserEntity) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  disabled: user.disabledAt !== null,
});

/** Opens the database (pending migrations applied, as the server does) for one user change. */
async function withUsers<T>(
  options: CommonOptions,
  io: CliIo,
  work: (users: UserService, actor: Actor) => Promise<T>,
): Promise<T> {
  // Loaded here, not at start-up: the API pulls in TypeORM and both database drivers.
  const api = await import("@valuetier/api");
  const { config, databaseUrl } = await databaseConfig(options.databaseUrl);
  const dataSource = await api.openDatabase(
    { ...config, databaseUrl },
    { error: (m: string) => io.stderr(`${m}\n`) },
  );
  try {
    return await work(new api.UserService(dataSource), api.systemActor("cli"));
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

function report(io: CliIo, options: CommonOptions, action: string, user: UserEntity): void {
  if (options.json) printJson(io, { action, user: userView(user) });
  else io.stdout(`${action} admin ${user.email} (user ${user.id})\n`);
}

function failIfErrors<T>(result: T | { message: string }[]): T {
  if (Array.isArray(result)) throw new CliError(result.map((e) => e.message).join("; "));
  return result;
}

/**
 * `valuetier admin create|enable`: the operator's way back in when no admin can log in
 * (every admin disabled or demoted, passwords lost). Both write the audit log as actor `cli`.
 */
export function register(program: Command, io: AdminIo): void {
  const admin = program
    .command("admin")
    .description(
      "create an admin or restore one, directly in the database (for when no admin can log in)",
    );
  const common = (command: Command) =>
    command
      .requiredOption("--email <email>", "the admin's email")
      .option(
        "--database-url <url>",
        "mysql://user:pass@host:port/db (default: DATABASE_URL, else the embedded SQLite file)",
      )
      .option("--json", "print one JSON document { action, user } on stdout");

  common(
    admin
      .command("create")
      .description("create a new user with the ADMIN role")
      .option("--name <name>", "display name", "Administrator")
      .option("--password-stdin", "read the password from stdin (one trailing newline dropped)")
      .option(
        "--password <password>",
        "the password (visible to other users of this machine in the process list: prefer --password-stdin)",
      ),
  ).action(async (options: CreateOptions) => {
    const password = await passwordOf(options, io);
    const user = await withUsers(options, io, async (users, actor) =>
      failIfErrors(
        await users.create(
          { email: options.email, name: options.name, password, role: "ADMIN" },
          actor,
        ),
      ),
    );
    report(io, options, "created", user);
  });

  common(
    admin
      .command("enable")
      .description(
        "re-enable the user with this email and give them the ADMIN role; clears their failed logins",
      ),
  ).action(async (options: CommonOptions) => {
    const user = await withUsers(options, io, async (users, actor) =>
      failIfErrors(await users.restoreAdmin(options.email, actor)),
    );
    report(io, options, "enabled", user);
  });
}
