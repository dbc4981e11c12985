// `faultline decode`: decode ESR values given as arguments, or streamed on stdin (batch mode).
// Machine output on stdout (a field tree, the kernel's block, or one JSON object per line), one-line
// errors on stderr; exit 0, or 1 when any value was bad, 2 for usage errors (docs/ARCHITECTURE.md).
import { parseArgs } from 'node:util';
import {
  createEsrJsonEncoder,
  decodeEsr,
  esrToJson,
  halvesToBigInt,
  parseEsrDecimal,
  parseEsrHexInto,
  renderEsrTree,
  renderMemAbortInfo,
  type EsrContext,
} from '../../core/esr/index';
import { parseHex64 } from '../../core/hex';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliIo } from '../types';
import { writeOut } from '../output';

const help = `Usage: faultline decode [--el 1|2] [--far ADDR] [--hpfar VALUE] [--kernel-version VER]
                        [--json | --kernel] [--decimal] [ESR ...]

Decodes arm64 ESR_ELx values: exception class, every ISS/ISS2 field with its meaning (fields that mean
nothing for the value are marked), the fault status code, trapped system register names, BRK and SError
meanings, the kernel's own names and, for ESR_EL2 values, the path KVM takes.

Values are hexadecimal with or without 0x (0x96000004, f2000800, 0000000096000004); decimal with
--decimal. Without ESR arguments, whitespace-separated values are read from stdin (batch mode).

Options:
  --el 1|2              the ESR_ELx the values come from (2: ESR_EL2, adds the KVM view)
  --far ADDR            FAR_ELx of the exception (hex)
  --hpfar VALUE         HPFAR_EL2 of the exception (hex): gives the faulting IPA
  --kernel-version VER  kernel release for the kernel's names and KVM's path (e.g. 6.1.0-18-arm64)
  --json                one JSON object per value, one per line
  --kernel              print the kernel's "Mem abort info" block instead of the field tree
  --decimal             values are decimal

A bad value gets a one-line error naming it on stderr; the other values are still decoded and the exit
code is 1.
`;

interface DecodeOptions {
  readonly json: boolean;
  readonly kernelBlock: boolean;
  readonly decimal: boolean;
  readonly ctx: EsrContext;
}

function parseAddress(name: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const r = parseHex64(text);
  if (!r.ok) throw new UsageError(`--${name}: ${r.error}`);
  return r.value;
}

function parseOptions(argv: readonly string[]): { opts: DecodeOptions; values: string[] } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      el: { type: 'string' },
      far: { type: 'string' },
      hpfar: { type: 'string' },
      'kernel-version': { type: 'string' },
      json: { type: 'boolean', default: false },
      kernel: { type: 'boolean', default: false },
      decimal: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.el !== undefined && values.el !== '1' && values.el !== '2') throw new UsageError(`--el must be 1 or 2, not ${JSON.stringify(values.el)}`);
  if (values.json && values.kernel) throw new UsageError('--json and --kernel cannot be combined');
  const far = parseAddress('far', values.far);
  const hpfar = parseAddress('hpfar', values.hpfar);
  const ctx: EsrContext = {
    ...(values.el ? { el: values.el === '1' ? 1 : 2 } : {}),
    ...(far !== undefined ? { far } : {}),
    ...(hpfar !== undefined ? { hpfar } : {}),
    ...(values['kernel-version'] ? { kernel: values['kernel-version'] } : {}),
  };
  return { opts: { json: values.json, kernelBlock: values.kernel, decimal: values.decimal, ctx }, values: positionals };
}

/**
 * Buffers output bytes and writes them in 1 MiB chunks, waiting for the stream to drain. Appending is
 * synchronous; it returns a promise only when a chunk had to be written (the per-value loop stays cheap).
 */
class Output {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;
  constructor(private readonly io: CliIo) {}
  bytes(b: Uint8Array): Promise<void> | undefined {
    if (this.pos + b.length > this.buf.length) return this.flush(b.length).then(() => void this.bytes(b));
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return undefined;
  }
  text(t: string): Promise<void> | undefined {
    return this.bytes(Buffer.from(t, 'utf8'));
  }
  /** Writes what is buffered; `need` makes sure the next buffer can take that many bytes. */
  async flush(need = 0): Promise<void> {
    const chunk = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(Math.max(1 << 20, need));
    this.pos = 0;
    if (chunk.length > 0) await writeOut(this.io, chunk);
  }
}

type Sink = (lo: number, hi: number) => Promise<void> | undefined;

/** What to print for one value: the cached JSON bytes, a JSON decode with addresses, or a text block. */
function sinkFor(opts: DecodeOptions, out: Output): Sink {
  const { ctx } = opts;
  if (opts.json && ctx.far === undefined && ctx.hpfar === undefined) {
    const encoder = createEsrJsonEncoder({ el: ctx.el ?? null, ...(ctx.kernel !== undefined ? { kernel: ctx.kernel } : {}) });
    return (lo, hi) => out.bytes(encoder.encodeLine(lo, hi));
  }
  let first = true;
  return (lo, hi) => {
    const d = decodeEsr(halvesToBigInt({ lo, hi }), ctx);
    if (opts.json) return out.text(JSON.stringify(esrToJson(d)) + '\n');
    const block = opts.kernelBlock ? renderMemAbortInfo(d) : renderEsrTree(d);
    const text = first ? block : '\n' + block;
    first = false;
    return out.text(text);
  };
}

/** Parses tokens and feeds the sink; bad tokens get a one-line error. Returns true when any was bad. */
function tokenDecoder(opts: DecodeOptions, sink: Sink, out: Output, io: CliIo): (tokens: readonly string[]) => Promise<boolean> {
  const halves = new Uint32Array(2);
  const parse = opts.decimal
    ? (t: string): string | null => {
        const r = parseEsrDecimal(t);
        if (!r.ok) return r.error;
        halves[0] = r.value.lo;
        halves[1] = r.value.hi;
        return null;
      }
    : (t: string): string | null => parseEsrHexInto(t, halves);
  return async (tokens) => {
    let failed = false;
    for (const token of tokens) {
      if (token === '') continue;
      const error = parse(token);
      if (error === null) {
        const pending = sink(halves[0] as number, halves[1] as number);
        if (pending) await pending;
      } else {
        failed = true;
        await out.flush();
        io.stderr.write(`faultline decode: ${error}\n`);
      }
    }
    return failed;
  };
}

/** Streams whitespace-separated tokens from stdin, carrying a partial token across chunks. */
async function decodeStdin(io: CliIo, decodeTokens: (tokens: readonly string[]) => Promise<boolean>): Promise<boolean> {
  let failed = false;
  let carry = '';
  for await (const chunk of io.stdin) {
    const text = carry + (typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('latin1'));
    const tokens = text.split(/\s+/);
    carry = tokens.pop() ?? '';
    if (await decodeTokens(tokens)) failed = true;
  }
  if (await decodeTokens([carry])) failed = true;
  return failed;
}

export const command: CliCommand = {
  name: 'decode',
  help,
  async run(argv, io) {
    const { opts, values } = parseOptions(argv);
    const out = new Output(io);
    const decodeTokens = tokenDecoder(opts, sinkFor(opts, out), out, io);
    const failed = values.length > 0 ? await decodeTokens(values) : await decodeStdin(io, decodeTokens);
    await out.flush();
    return failed ? EXIT_FAILURE : EXIT_OK;
  },
};
