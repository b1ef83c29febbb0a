import type { Command } from "commander";
import type { CliIo } from "../io";

/**
 * Every sub-command registers itself here. A command module exports
 * `register(program: Command, io: CliIo): void` and throws CliError for bad input.
 */
export function registerCommands(_program: Command, _io: CliIo): void {
  // filled in as commands land
}
