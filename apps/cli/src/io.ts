/** Where a command writes: stdout carries results (one JSON document with --json), stderr progress and logs. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Calls `handler` on each interrupt (Ctrl-C, SIGTERM) until the returned function is called;
   * without it a command cannot be stopped gracefully. `exitCode` is what quitting at once
   * should exit with.
   */
  onInterrupt?: (handler: (exitCode: number) => void) => () => void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  onInterrupt: (handler) => {
    const onInt = () => handler(130);
    const onTerm = () => handler(143);
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    return () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    };
  },
};

/**
 * What a long command does on Ctrl-C (or SIGTERM): the first prints `message` and aborts the
 * returned signal, so that the command stops cleanly; a second quits at once. Call `dispose`
 * when the command ends.
 */
export function stopOnInterrupt(
  io: CliIo,
  message: string,
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const dispose =
    io.onInterrupt?.((exitCode) => {
      if (controller.signal.aborted) process.exit(exitCode);
      io.stderr(`${message} (press Ctrl-C again to quit at once)\n`);
      controller.abort();
    }) ?? (() => undefined);
  return { signal: controller.signal, dispose };
}

/** Prints exactly one JSON document on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + "\n");
}
