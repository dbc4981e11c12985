// The importers, in the order ties are broken (first wins on equal scores). Each decides from the content
// (`sniff`); a new format is a new file here and one line in this list. The ftrace text and trace.dat
// importers (issue 5) are registered here too.
import type { Importer } from '../importer';
import { hostFileImporter, kernelConfigImporter, libvirtStatusImporter } from './host-files';
import { kernelLogImporter, textImporter } from './kernel-log';
import { lspciImporter } from './lspci';
import { ftraceTextImporter } from './ftrace-text';
import { traceDatImporter } from './trace-dat';

export const importers: readonly Importer[] = [traceDatImporter, lspciImporter, hostFileImporter, libvirtStatusImporter, kernelConfigImporter, ftraceTextImporter, kernelLogImporter];

/** Takes text nobody claims (sniff score below MIN_SCORE). */
export const fallbackImporter: Importer = textImporter;

/** An importer must be at least this sure to take a file. */
export const MIN_SCORE = 0.5;

/** The importer for a file: the highest score, if any reaches MIN_SCORE. */
export function chooseImporter(list: readonly Importer[], head: Buffer, path: string): { importer: Importer; score: number } | null {
  let best: { importer: Importer; score: number } | null = null;
  for (const importer of list) {
    let score: number;
    try {
      score = importer.sniff(head, path);
    } catch {
      score = 0; // a sniffer that throws does not want the file
    }
    if (score >= MIN_SCORE && (best === null || score > best.score)) best = { importer, score };
  }
  return best;
}
