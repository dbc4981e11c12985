// A file that starts with a run of NUL bytes: what logrotate's copytruncate leaves when the writer keeps
// its file offset after the truncation (the file reads as NULs up to that offset), or a crash that had
// grown the file but not written its blocks. Importers are chosen from a file's first 64 KiB
// (pipeline.ts HEAD_BYTES): behind a longer run they saw only NULs, and the whole log was skipped as
// binary. Such a run is dropped as it streams (no NUL is held in memory), and what follows it is
// recognized as a file of its own. Shorter runs need nothing: the text is within the head, and the
// line reader reports the NULs as binary junk on their line.

/** The shortest leading run dropped: the head importers are chosen from. */
export const NUL_RUN_MIN_BYTES = 64 * 1024;

/** Whether `head` (NUL_RUN_MIN_BYTES of a file, or all of a shorter one) is NULs throughout. */
export function isLeadingNulRun(head: Buffer): boolean {
  if (head.length < NUL_RUN_MIN_BYTES) return false;
  for (let i = 0; i < head.length; i++) if (head[i] !== 0) return false;
  return true;
}

/** `chunks` without their leading NUL bytes; `run.bytes` counts the bytes dropped. */
export async function* dropLeadingNuls(chunks: AsyncIterable<Buffer>, run: { bytes: number }): AsyncGenerator<Buffer> {
  let inRun = true;
  for await (const chunk of chunks) {
    if (!inRun) {
      yield chunk;
      continue;
    }
    let i = 0;
    while (i < chunk.length && chunk[i] === 0) i++;
    run.bytes += i;
    if (i === chunk.length) continue;
    inRun = false;
    yield chunk.subarray(i);
  }
}

/** The diagnostic's message: the run's extent, and whether anything followed it. */
export function describeNulRun(bytes: number, textFollows: boolean): string {
  const n = bytes.toLocaleString('en');
  return textFollows
    ? `the file starts with ${n} NUL bytes (bytes 0 to ${(bytes - 1).toLocaleString('en')}), as logrotate's copytruncate or a crash leaves a log: they were skipped and what follows was read`
    : `the file holds nothing but ${n} NUL bytes`;
}
