import { LimitExceededError } from '../errors';
import { readChunksBounded } from './boundedChunks';

function readerOf(chunks: Uint8Array[]) {
  let next = 0;
  const state = { cancelled: false, reads: 0 };
  return {
    state,
    reader: {
      read: async () => {
        state.reads++;
        return next < chunks.length ? { done: false, value: chunks[next++] } : { done: true };
      },
      cancel: async () => {
        state.cancelled = true;
      },
    },
  };
}

describe('readChunksBounded', () => {
  it('joins the chunks of a stream within the limit', async () => {
    const { reader, state } = readerOf([Uint8Array.of(1, 2), Uint8Array.of(3), Uint8Array.of(4, 5)]);
    expect(Array.from(await readChunksBounded(reader, 5, () => new Error('too large')))).toEqual([1, 2, 3, 4, 5]);
    expect(state.cancelled).toBe(false);
  });

  it('cancels the stream at the first chunk past the limit and reads no further', async () => {
    const chunk = new Uint8Array(1024);
    const { reader, state } = readerOf(Array.from({ length: 100 }, () => chunk));
    const error = await readChunksBounded(
      reader,
      3000,
      (total) => new LimitExceededError(`body: ${total} bytes`, { name: 'maxInputBytes', max: 3000, actual: total })
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as Error).message).toContain('body: 3072 bytes');
    expect(state.cancelled).toBe(true);
    expect(state.reads).toBe(3);
  });
});
