// lspci -nnvv: PCI devices, their BARs and drivers, into the bundle context (lines stored too).
import { LspciParser, scoreLspci } from '../../../core/ingest/context/lspci';
import type { Importer } from '../importer';
import { headLines } from './text-head';
import { storeEachLine } from './line-import';

export const lspciImporter: Importer = {
  id: 'lspci',
  sniff: (head) => scoreLspci(headLines(head)),
  async import(ctx, input) {
    const parser = new LspciParser();
    const lines = await storeEachLine(ctx, input, (text) => parser.line(text));
    for (const device of parser.end()) ctx.context.addPciDevice(device);
    if (parser.unparsed > 0) ctx.diagnostic({ kind: 'lspci-unparsed', message: `${parser.unparsed} device lines not understood` });
    return { lines, events: 0, faults: 0 };
  },
};
