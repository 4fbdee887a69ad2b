import { directWriter } from './stdio';

/** A descriptor that takes `capacity` bytes, `chunk` at most per write, then fails with `code`. */
function descriptor(capacity: number, chunk: number, code: string) {
  const taken: number[] = [];
  const write = (_fd: number, bytes: Uint8Array, offset: number) => {
    if (taken.length >= capacity) {
      throw Object.assign(new Error(code), { code });
    }
    const n = Math.min(chunk, bytes.length - offset, capacity - taken.length);
    taken.push(...bytes.subarray(offset, offset + n));
    return n;
  };
  return { write, text: () => Buffer.from(taken).toString('utf8') };
}

describe('directWriter', () => {
  it('writes whole texts to the descriptor through partial writes, without touching the stream', () => {
    const fd = descriptor(1 << 20, 7, 'EAGAIN');
    const stream = jest.fn();
    const out = directWriter(1, stream, fd.write, false);
    out('goroutine 1 [running]:\n');
    out('héllo, wörld\n');
    expect(fd.text()).toBe('goroutine 1 [running]:\nhéllo, wörld\n');
    expect(stream).not.toHaveBeenCalled();
  });

  it.each(['EAGAIN', 'EPIPE'])(
    'after %s hands the rest of the text and every later text to the stream, in order',
    (code) => {
      const fd = descriptor(10, 4, code);
      const chunks: Array<Uint8Array | string> = [];
      const stream = { write: (chunk: Uint8Array | string) => chunks.push(chunk) };
      const out = directWriter(1, () => stream, fd.write, false);
      out('0123456789abcdéf\n');
      out('next\n');
      const streamed = chunks.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'))).join('');
      expect(fd.text()).toBe('0123456789');
      expect(streamed).toBe('abcdéf\nnext\n');
    }
  );

  it('uses the stream only when asked to (Windows consoles)', () => {
    const fd = descriptor(100, 100, 'EAGAIN');
    const chunks: Array<Uint8Array | string> = [];
    const out = directWriter(1, () => ({ write: (c: Uint8Array | string) => chunks.push(c) }), fd.write, true);
    out('text\n');
    expect(fd.text()).toBe('');
    expect(chunks).toEqual(['text\n']);
  });
});
