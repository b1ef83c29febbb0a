import type { Command } from "commander";
import type { CliIo } from "../../io";
import { registerEvaluate } from "./evaluate";
import { registerFit } from "./fit";
import { registerScore } from "./score";

/** `valuetier clv fit | evaluate | score` (CONTRACTS.md, "Command line"). */
export function register(program: Command, io: CliIo): void {
  const clv = program
    .command("clv")
    .description("customer lifetime value models: BG/NBD and Gamma-Gamma");
  registerFit(clv, io);
  registerEvaluate(clv, io);
  registerScore(clv, io);
}
