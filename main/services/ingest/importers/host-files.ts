// One-line host files (uname -a, /proc/version, /proc/cmdline), libvirt's domain status XML, and the
// kernel's build configuration.
import {
  parseHostFile,
  parseLibvirtStatus,
  readKernelConfigLine,
  scoreHostFile,
  scoreKernelConfig,
  scoreLibvirtStatus,
  type KernelConfigFacts,
} from '../../../core/ingest/context/host-files';
import { assertNever } from '../../../core/result';
import type { ImportContext, ImportInput, Importer } from '../importer';
import { storeEachLine } from './line-import';
import { headLines } from './text-head';

const SMALL = 64 * 1024;

async function storeLines(ctx: ImportContext, input: ImportInput): Promise<{ lines: number; text: string }> {
  const kept: string[] = [];
  let size = 0;
  const lines = await storeEachLine(ctx, input, (text) => {
    if (size < SMALL) kept.push(text);
    size += text.length + 1;
  });
  return { lines, text: kept.join('\n') };
}

export const hostFileImporter: Importer = {
  id: 'host-info',
  sniff: (head) => (head.length < SMALL ? scoreHostFile(head.toString('utf8')) : 0),
  async import(ctx, input) {
    const { lines, text } = await storeLines(ctx, input);
    const f = parseHostFile(text);
    if (f === null) return { lines, events: 0, faults: 0 };
    switch (f.kind) {
      case 'uname':
        ctx.context.addKernel(f.release);
        ctx.context.setHostname(f.hostname);
        return { lines, events: 0, faults: 0, format: 'uname' };
      case 'proc-version':
        ctx.context.addKernel(f.release);
        return { lines, events: 0, faults: 0, format: 'proc-version' };
      case 'cmdline':
        ctx.context.setCmdline(f.cmdline);
        return { lines, events: 0, faults: 0, format: 'cmdline' };
      default:
        return assertNever(f, 'host file');
    }
  },
};

export const libvirtStatusImporter: Importer = {
  id: 'libvirt-status',
  sniff: (head) => scoreLibvirtStatus(head.toString('utf8')),
  async import(ctx, input) {
    const { lines, text } = await storeLines(ctx, input);
    const vm = parseLibvirtStatus(text);
    if (vm !== null) ctx.context.addVm(vm);
    return { lines, events: 0, faults: 0 };
  },
};

export const kernelConfigImporter: Importer = {
  id: 'kernel-config',
  sniff: (head) => scoreKernelConfig(headLines(head)),
  async import(ctx, input) {
    const facts: KernelConfigFacts = { pageSizeKiB: null, vaBits: null };
    const lines = await storeEachLine(ctx, input, (text) => readKernelConfigLine(text, facts));
    if (facts.pageSizeKiB !== null || facts.vaBits !== null) ctx.context.setPaging(facts.pageSizeKiB, facts.vaBits);
    return { lines, events: 0, faults: 0 };
  },
};
