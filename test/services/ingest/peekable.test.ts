import { describe, expect, it } from 'vitest';
import { Peekable } from '../../../main/services/ingest/peekable';

/** A stream of `chunks`, then the error `fail` (if given). */
async function* stream(chunks: string[], fail?: Error): AsyncGenerator<Buffer> {
  for (const c of chunks) yield Buffer.from(c);
  if (fail) throw fail;
}

async function readAll(p: Peekable): Promise<{ text: string; error: string | null }> {
  let text = '';
  try {
    for await (const b of p.rest()) text += b.toString();
  } catch (e) {
    return { text, error: (e as Error).message };
  }
  return { text, error: null };
}

describe('Peekable', () => {
  it('peeks the head and then reads everything from the first byte', async () => {
    const p = Peekable.of(stream(['ab', 'cd', 'ef']));
    expect((await p.peek(3)).toString()).toBe('abc');
    expect(await readAll(p)).toEqual({ text: 'abcdef', error: null });
  });

  it('keeps a read error met while peeking for after the bytes read before it', async () => {
    const p = Peekable.of(stream(['ab', 'cd'], new Error('unexpected end of file')));
    expect((await p.peek(64 * 1024)).toString()).toBe('abcd');
    expect((await p.peek(64 * 1024)).toString()).toBe('abcd');
    expect(await readAll(p)).toEqual({ text: 'abcd', error: 'unexpected end of file' });
  });

  it('throws from peek when nothing at all could be read', async () => {
    const p = Peekable.of(stream([], new Error('not in gzip format')));
    await expect(p.peek(512)).rejects.toThrow('not in gzip format');
  });

  it('throws a cancel at once, even after some bytes', async () => {
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    const p = Peekable.of(stream(['ab'], abort));
    await expect(p.peek(64)).rejects.toThrow('aborted');
  });

  it('close stops the source without reading the rest', async () => {
    let pulled = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        for (let i = 0; i < 100; i++) {
          pulled++;
          yield Buffer.from('x');
        }
      } finally {
        closed = true;
      }
    }
    const p = Peekable.of(source());
    await p.peek(2);
    await p.close();
    expect(closed).toBe(true);
    expect(pulled).toBe(2);
    // Closing again, or draining after it, reads nothing more.
    await p.close();
    await p.drain();
    expect(pulled).toBe(2);
  });
});
