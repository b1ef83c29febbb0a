/**
 * An expected failure of a command (bad input, unreachable database): printed as one line on
 * stderr with exit code 1, without a stack trace unless --verbose is given.
 */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}
