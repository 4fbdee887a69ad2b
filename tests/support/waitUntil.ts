/**
 * Polls `check` until it returns a value other than undefined/false, for live tests that wait on a condition of a
 * running process instead of sleeping a fixed time. Gives up after `timeoutMs` with `what` in the error.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 30000, intervalMs = 100 } = {}
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
