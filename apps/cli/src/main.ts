import { Command, CommanderError } from "commander";
import { CliError } from "./cli-error";
import { processIo, type CliIo } from "./io";
import { registerCommands } from "./commands";

/**
 * Runs the `valuetier` command line and resolves to the process exit code. Never calls
 * process.exit itself, so tests can run it in-process with their own io.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = new Command();
  const verbose = argv.includes("--verbose");
  program
    .name("valuetier")
    .description("ValueTier: customer lifetime value, value tiers and loyalty.")
    .option("--verbose", "print stack traces for errors")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    });
  registerCommands(program, io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? 0 : 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`valuetier: ${message.split("\n")[0]}\n`);
    if (verbose && error instanceof Error && error.stack) io.stderr(error.stack + "\n");
    return 1;
  }
}

export { CliError };
