// lspci -nnvv: PCI devices, their BARs and drivers, into the bundle context (lines stored too).
import { LspciParser, scoreLspci } from '../../../core/ingest/context/lspci';
import { LineWriter } from '../../../storage/lines';
import type { Importer } from '../importer';
import { headLines } from './text-head';
import { forEachLine } from './line-import';

export const lspciImporter: Importer = {
  id: 'lspci',
  sniff: (head) => scoreLspci(headLines(head)),
  async import(ctx, input) {
    const writer = new LineWriter(ctx.db, ctx.fileId);
    const parser = new LspciParser();
    try {
      await forEachLine(
        ctx,
        input,
        (text, n) => {
          writer.add(n, null, null, null, null, text);
          parser.line(text);
        },
      );
    } finally {
      writer.finish();
    }
    for (const device of parser.end()) ctx.context.addPciDevice(device);
    if (parser.unparsed > 0) ctx.diagnostic({ kind: 'lspci-unparsed', message: `${parser.unparsed} device lines not understood` });
    return { lines: writer.count, events: 0, faults: 0 };
  },
};
