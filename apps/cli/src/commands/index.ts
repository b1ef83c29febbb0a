import type { Command } from "commander";
import type { CliIo } from "../io";
import { register as registerGenerate } from "./generate";
import { register as registerImport } from "./import";
import { register as registerClv } from "./clv";
import { register as registerScore } from "./score";
import { register as registerAdmin } from "./admin";
import { register as registerSegment } from "./segment";
import { register as registerLoyalty } from "./loyalty";
import { register as registerUplift } from "./uplift";

/**
 * Every sub-command registers itself here. A command module exports
 * `register(program: Command, io: CliIo): void` and throws CliError for bad input.
 */
export function registerCommands(program: Command, io: CliIo): void {
  registerGenerate(program, io);
  registerImport(program, io);
  registerClv(program, io);
  registerScore(program, io);
  registerAdmin(program, io);
  registerSegment(program, io);
  registerLoyalty(program, io);
  registerUplift(program, io);
  // filled in as commands land
}
