/**
 * goprof's standard output and error. The first use of process.stdout sets up Node's stream machinery (and for a
 * pipe its net module), which cost more than `goprof --help`'s own work, so text goes to the file descriptor directly
 * while that works.
 */
import { writeSync } from 'fs';

/** A stream's `write`, for what the descriptor did not take (tests pass their own). */
export interface FallbackStream {
  write(chunk: Uint8Array | string): unknown;
}

/**
 * Writes text to `fd` with synchronous writes. From the first write that cannot complete at once (a full
 * non-blocking pipe: EAGAIN) or fails (EPIPE...), the rest of that text and everything after it goes through
 * `stream()` (process.stdout or process.stderr), which queues it and reports errors as it always did, in order.
 * Windows consoles always get the stream (it converts text for the console).
 */
export function directWriter(
  fd: number,
  stream: () => FallbackStream,
  write: (fd: number, bytes: Uint8Array, offset: number) => number = writeSync,
  viaStream = process.platform === 'win32'
): (text: string) => void {
  return (text) => {
    if (viaStream) {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) {
        written += write(fd, bytes, written);
      }
    } catch {
      viaStream = true;
      stream().write(bytes.subarray(written));
    }
  };
}
