// Writing a command's output: a big one (a million events, a hundred thousand fault records) goes out as
// the reader takes it, not queued in memory (writes that ignore a full pipe queued 1.6 GB and then failed
// with ENOBUFS).
import { once } from 'node:events';
import type { CliIo } from './types';

/** Writes `chunk` to the command's stdout, waiting while the stream's buffer is full. */
export async function writeOut(io: CliIo, chunk: string | Uint8Array): Promise<void> {
  if (!io.stdout.write(chunk)) await once(io.stdout, 'drain');
}

/** Lines gathered into chunks of ~64 KiB, each written once the stream has room. */
export class LineWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly io: CliIo) {}

  async line(text: string): Promise<void> {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await writeOut(this.io, chunk);
  }
}
