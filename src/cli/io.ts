// What the command line touches of its process, injectable so that tests run `main` in-process and silently.

/** The part of a writable stream the command line uses (process.stdout and process.stderr fit). */
export interface CliStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
  /** Paths on the command line are relative to this directory. */
  cwd: string;
  /** Calls `handler` on the first interrupt (Ctrl-C) and returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
}

/** The real process: SIGINT once (a second Ctrl-C falls back to Node's default and quits at once). */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    onInterrupt(handler) {
      process.once('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
  };
}
