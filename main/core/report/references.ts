// References numbered once per report, in order of first mention, as `[n]` footnotes (DOMAIN.md §6).
// Spelling follows Documentation/process/submitting-patches.rst: commits as `<12-char sha> ("subject")` (the
// `Fixes:` tag form), mailing-list messages as `https://lore.kernel.org/r/<message-id>`.
import type { ReferenceInput } from './input';

export interface ReportReference {
  /** Footnote number, from 1. */
  readonly n: number;
  readonly kind: ReferenceInput['kind'];
  /** `8c47ce3e1d2c ("KVM: arm64: ...")` for a commit, the title otherwise. */
  readonly text: string;
  /** Where to read it: the commit on git.kernel.org, the lore message, the page. */
  readonly url: string;
  /** For a commit: the first release carrying it and what it is to the diagnosis. */
  readonly version: string | null;
  readonly role: 'fix' | 'introduced' | 'related' | null;
}

/** A `Fixes:`-style commit spelling: 12 hex digits of the SHA-1 and the subject in quotes and brackets. */
export function commitText(sha: string, subject: string, described = false): string {
  return `${sha.slice(0, 12).toLowerCase()} (${described ? subject : `"${subject}"`})`;
}

/** A lore link by message id, without the angle brackets mail headers put around it. */
export function loreUrl(messageId: string): string {
  return `https://lore.kernel.org/r/${messageId.replace(/^<|>$/g, '')}`;
}

/** The kernel.org short link to a mainline commit. */
export function commitUrl(sha: string): string {
  return `https://git.kernel.org/linus/${sha.slice(0, 12).toLowerCase()}`;
}

function keyOf(r: ReferenceInput): string {
  switch (r.kind) {
    case 'commit':
      return `commit:${r.sha.slice(0, 12).toLowerCase()}`;
    case 'lore':
      return `lore:${r.messageId.replace(/^<|>$/g, '')}`;
    case 'url':
      return `url:${r.url}`;
  }
}

function toReference(r: ReferenceInput, n: number): ReportReference {
  switch (r.kind) {
    case 'commit':
      return { n, kind: r.kind, text: commitText(r.sha, r.subject, r.described ?? false), url: r.url ?? commitUrl(r.sha), version: r.version, role: r.role };
    case 'lore':
      return { n, kind: r.kind, text: r.title, url: loreUrl(r.messageId), version: null, role: null };
    case 'url':
      return { n, kind: r.kind, text: r.title, url: r.url, version: null, role: null };
  }
}

/** Numbers references in order of first mention; the same commit or message keeps its first number. */
export class ReferenceTable {
  private readonly byKey = new Map<string, ReportReference>();

  add(r: ReferenceInput): number {
    const key = keyOf(r);
    const known = this.byKey.get(key);
    if (known) return known.n;
    const ref = toReference(r, this.byKey.size + 1);
    this.byKey.set(key, ref);
    return ref.n;
  }

  all(): ReportReference[] {
    return [...this.byKey.values()];
  }
}
