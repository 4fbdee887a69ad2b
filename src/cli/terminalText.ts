/**
 * Text from profiles and targets (function and file names, label values, HTTP error bodies) is untrusted: an ESC
 * sequence in a function name would otherwise reach the terminal and set the window title, clear the screen or
 * plant an OSC 8 link, and a bidi override would reorder what is shown. Every control character except tab and
 * newline, DEL, the C1 controls (0x80-0x9f, 8-bit CSI among them) and the bidi embedding/override/isolate marks is
 * shown as a `\uXXXX` escape instead: visible, inert, and still valid inside a JSON string.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function safeTerminalText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An output whose every write goes through {@link safeTerminalText}. */
export function terminalSafe<T extends { stdout(text: string): void; stderr(text: string): void }>(out: T): T {
  return {
    ...out,
    stdout: (text: string) => out.stdout(safeTerminalText(text)),
    stderr: (text: string) => out.stderr(safeTerminalText(text)),
  };
}
