// `faultline decode`: decode ESR values given as arguments, or streamed on stdin (batch mode).
// Machine output on stdout (a field tree, the kernel's block, or one JSON object per line), one-line
// errors on stderr; exit 0, or 1 when any value was bad, 2 for usage errors (docs/ARCHITECTURE.md).
import { parseArgs } from 'node:util';
import {
  decodeEsr,
  esrJsonLine,
  esrToJson,
  halvesToBigInt,
  parseEsrDecimal,
  parseEsrHex,
  renderEsrTree,
  renderMemAbortInfo,
  type EsrContext,
  type EsrHalves,
} from '../../core/esr/index';
import { parseHex64 } from '../../core/hex';
import type { Result } from '../../core/result';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliIo } from '../types';

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

/** Turns one token into its output text (without the trailing newline), or an error naming it. */
function decoderFor(opts: DecodeOptions): (token: string) => Result<string> {
  const parse = opts.decimal ? parseEsrDecimal : parseEsrHex;
  const { ctx } = opts;
  const fast = opts.json && ctx.far === undefined && ctx.hpfar === undefined;
  const el = ctx.el ?? null;
  const render = (h: EsrHalves): string => {
    if (fast) return esrJsonLine(h.lo, h.hi, el, ctx.kernel);
    const d = decodeEsr(halvesToBigInt(h), ctx);
    if (opts.json) return JSON.stringify(esrToJson(d));
    return (opts.kernelBlock ? renderMemAbortInfo(d) : renderEsrTree(d)).replace(/\n$/, '');
  };
  return (token) => {
    const r = parse(token);
    return r.ok ? { ok: true, value: render(r.value) } : r;
  };
}

/** Buffers output and writes it in large chunks, waiting for the stream to drain. */
class Output {
  private parts: string[] = [];
  private size = 0;
  private first = true;
  /** `sep` goes between two outputs: a newline for JSON lines, a blank line for text blocks. */
  constructor(
    private readonly io: CliIo,
    private readonly sep: string,
  ) {}
  async push(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 16) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = (this.first ? '' : this.sep.slice(1)) + this.parts.join(this.sep) + '\n';
    this.first = false;
    this.parts = [];
    this.size = 0;
    if (!this.io.stdout.write(chunk)) await new Promise<void>((resolve) => this.io.stdout.once('drain', () => resolve()));
  }
}

async function decodeTokens(tokens: Iterable<string>, decode: (t: string) => Result<string>, out: Output, io: CliIo): Promise<boolean> {
  let failed = false;
  for (const token of tokens) {
    if (token === '') continue;
    const r = decode(token);
    if (r.ok) {
      await out.push(r.value);
    } else {
      failed = true;
      await out.flush();
      io.stderr.write(`faultline decode: ${r.error}\n`);
    }
  }
  return failed;
}

/** Streams whitespace-separated tokens from stdin, carrying a partial token across chunks. */
async function decodeStdin(io: CliIo, decode: (t: string) => Result<string>, out: Output): Promise<boolean> {
  let failed = false;
  let carry = '';
  for await (const chunk of io.stdin) {
    const text = carry + (typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('latin1'));
    const tokens = text.split(/\s+/);
    carry = tokens.pop() ?? '';
    if (await decodeTokens(tokens, decode, out, io)) failed = true;
  }
  if (await decodeTokens([carry], decode, out, io)) failed = true;
  return failed;
}

export const command: CliCommand = {
  name: 'decode',
  summary: 'decode ESR values (arguments or stdin): fields, fault codes, kernel names, KVM path',
  help,
  async run(argv, io) {
    const { opts, values } = parseOptions(argv);
    const decode = decoderFor(opts);
    const out = new Output(io, opts.json ? '\n' : '\n\n');
    const failed = values.length > 0 ? await decodeTokens(values, decode, out, io) : await decodeStdin(io, decode, out);
    await out.flush();
    return failed ? EXIT_FAILURE : EXIT_OK;
  },
};
