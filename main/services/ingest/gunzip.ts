// gzip (RFC 1952), streaming: the members' headers and trailers read here, their deflate data inflated by
// node:zlib's raw inflate. Node's own gunzip loses the output of the write in which it meets damage: a bad
// check in a member's trailer, or trailing bytes that are not another member, failed a file of 64 KiB or
// less with nothing read, and dropped the last 256 KiB of a bigger one, where `gzip -dc` prints it all.
// Here every byte inflated is given before the damage is reported, as gzip does:
//   - a bad CRC-32 or length in a trailer: the member's data, then the error;
//   - bytes after the last member that are neither another member nor zeros (gzip: "trailing garbage
//     ignored"): all the data, then the error;
//   - zeros after the last member (tape padding): ignored, as gzip and zlib do.
import { crc32, createInflateRaw, type InflateRaw } from 'node:zlib';

/** RFC 1952 §2.3.1: the header's flag bits (FTEXT, 1, says nothing we use). */
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;
/** A header's name or comment longer than this is not a gzip header (it is read into memory whole). */
const MAX_HEADER = 1024 * 1024;
/** Compressed bytes inflated in one write: bounds what is held before it is given (and the check of a bomb). */
const PIECE = 64 * 1024;
const OUT_CHUNK = 256 * 1024;

/** The bytes of a stream, read as needed, with what was read too far put back. */
class ByteReader {
  private buffered: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** At least `n` bytes buffered, or all that is left. */
  async fill(n: number): Promise<Buffer> {
    while (this.buffered.length < n && !this.ended) {
      const r = await this.source.next();
      if (r.done === true) this.ended = true;
      else {
        const chunk = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length);
        this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      }
    }
    return this.buffered;
  }

  take(n: number): Buffer {
    const b = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return b;
  }

  /** Up to `max` bytes, at least one unless the stream has ended (then none). */
  async next(max: number): Promise<Buffer> {
    await this.fill(1);
    return this.take(Math.min(max, this.buffered.length));
  }

  unread(b: Buffer): void {
    if (b.length > 0) this.buffered = this.buffered.length === 0 ? b : Buffer.concat([b, this.buffered]);
  }
}

const truncated = (): Error => new Error('unexpected end of file');

/** RFC 1952 §2.3: ID1 ID2 CM FLG MTIME(4) XFL OS, then the optional fields FLG names, in this order. */
async function readHeader(r: ByteReader): Promise<void> {
  let b = await r.fill(10);
  if (b.length < 10) throw truncated();
  if (b[0] !== 0x1f || b[1] !== 0x8b) throw new Error('incorrect header check');
  if (b[2] !== 8) throw new Error(`unknown compression method ${b[2]}`);
  const flags = b[3]!;
  if ((flags & FRESERVED) !== 0) throw new Error('reserved flags set in a gzip header');
  let at = 10;
  if ((flags & FEXTRA) !== 0) {
    b = await r.fill(at + 2);
    if (b.length < at + 2) throw truncated();
    at += 2 + b.readUInt16LE(at);
  }
  for (const field of [FNAME, FCOMMENT]) {
    if ((flags & field) === 0) continue;
    for (let end = (b = await r.fill(at + 1)).indexOf(0, at); ; end = b.indexOf(0, at)) {
      if (end >= 0) {
        at = end + 1;
        break;
      }
      if (b.length > MAX_HEADER) throw new Error('a gzip header name or comment without its end');
      const more = await r.fill(b.length + 1);
      if (more.length === b.length) throw truncated();
      b = more;
    }
  }
  // The header's own CRC-16 (FHCRC) is skipped: the data's CRC-32 is checked in the trailer.
  if ((flags & FHCRC) !== 0) at += 2;
  if ((await r.fill(at)).length < at) throw truncated();
  r.take(at);
}

/** Writes `piece` to the inflater; resolves once it is all taken or the data has ended. */
function inflatePiece(inflate: InflateRaw, piece: Buffer): Promise<void> {
  return new Promise((resolve, reject) => inflate.write(piece, (e) => (e ? reject(e) : resolve())));
}

/** Ends the inflater (Z_FINISH): resolves once it has, or has failed (the failure is its 'error' listener's). */
function finish(inflate: InflateRaw): Promise<void> {
  return new Promise((resolve) => {
    inflate.once('error', () => resolve());
    inflate.end(() => resolve());
  });
}

/** One member's deflate data, inflated; what was read past its end is put back. Resolves to its CRC-32 and length. */
async function* inflateMember(r: ByteReader, sum: { crc: number; size: number }): AsyncGenerator<Buffer> {
  const inflate = createInflateRaw({ chunkSize: OUT_CHUNK });
  const out: Buffer[] = [];
  inflate.on('data', (chunk: Buffer) => out.push(chunk));
  let failure: Error | null = null;
  inflate.on('error', (e) => (failure ??= e));
  let fed = 0;
  try {
    for (;;) {
      const piece = await r.next(PIECE);
      if (piece.length === 0) {
        // The input ended inside the deflate data: what the inflater holds, then the end (a truncated file).
        await finish(inflate);
        yield* give(out, sum);
        throw failure ?? truncated();
      }
      fed += piece.length;
      try {
        await inflatePiece(inflate, piece);
      } finally {
        // Damaged deflate data: what came out of the piece before it, then the error.
        yield* give(out, sum);
      }
      // The inflater takes no more once its data has ended (RFC 1951's last block): the rest is the trailer.
      const unread = fed - inflate.bytesWritten;
      if (unread > 0) {
        r.unread(piece.subarray(piece.length - unread));
        return;
      }
    }
  } finally {
    inflate.destroy();
  }
}

function* give(out: Buffer[], sum: { crc: number; size: number }): Generator<Buffer> {
  for (const chunk of out.splice(0)) {
    sum.crc = crc32(chunk, sum.crc);
    sum.size = (sum.size + chunk.length) % 2 ** 32;
    yield chunk;
  }
}

/** What follows a member: another member (true), the end or zeros to the end (false); anything else throws. */
async function anotherMember(r: ByteReader): Promise<boolean> {
  for (;;) {
    const b = await r.fill(2);
    if (b.length === 0) return false;
    if (b[0] === 0x1f && b[1] === 0x8b) return true;
    const data = b.findIndex((x) => x !== 0);
    if (data < 0) {
      r.take(b.length);
      continue;
    }
    if (data > 0) r.take(data);
    else throw new Error('bytes after the end of the gzip data, not another member, were ignored');
  }
}

/** The inflated bytes of every member of a gzip stream; damage throws after the bytes before it were given. */
export async function* gunzipChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const r = new ByteReader(source[Symbol.asyncIterator]());
  do {
    await readHeader(r);
    const sum = { crc: 0, size: 0 };
    yield* inflateMember(r, sum);
    // RFC 1952 §2.3.1: CRC32, then ISIZE (the length modulo 2^32), both little-endian.
    const trailer = await r.fill(8);
    if (trailer.length < 8) throw truncated();
    const crc = trailer.readUInt32LE(0);
    const size = trailer.readUInt32LE(4);
    r.take(8);
    if (crc !== sum.crc) throw new Error(`incorrect data check (CRC-32 ${hex(crc)} stored, ${hex(sum.crc)} of the data): the data may be damaged`);
    if (size !== sum.size) throw new Error(`incorrect length check (${size} bytes stored, ${sum.size} inflated): the data may be damaged`);
  } while (await anotherMember(r));
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
