// Writing a command's output: a big one (a million events, a hundred thousand fault records) goes out as
// the reader takes it, not queued in memory (writes that ignore a full pipe queued 1.6 GB and then failed
// with ENOBUFS).
import { once } from 'node:events';
import type { CliIo } from './types';

/** Writes `text` to the command's stdout, waiting while the stream's buffer is full. */
export async function writeOut(io: CliIo, text: string): Promise<void> {
  if (!io.stdout.write(text)) await once(io.stdout, 'drain');
}

/** Lines written in batches of `size`, each batch once the stream has room. */
export class LineOutput {
  private batch: string[] = [];

  constructor(
    private readonly io: CliIo,
    private readonly size = 256,
  ) {}

  async line(text: string): Promise<void> {
    this.batch.push(text);
    if (this.batch.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const text = this.batch.join('\n') + '\n';
    this.batch = [];
    await writeOut(this.io, text);
  }
}
