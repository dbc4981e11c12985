// The head of a file as text lines, for sniffers: decoded leniently, the last (possibly cut) line dropped
// when the head does not end the file.
export function headLines(head: Buffer, maxLines = 400): string[] {
  const text = head.toString('utf8');
  const lines = text.split('\n');
  if (lines.length > 1 && !text.endsWith('\n')) lines.pop();
  return lines.slice(0, maxLines).map((l) => (l.endsWith('\r') ? l.replace(/\r+$/, '') : l));
}

/** Binary content: NUL bytes, or mostly bytes that text does not use. */
export function looksBinary(head: Buffer): boolean {
  const n = Math.min(head.length, 8192);
  if (n === 0) return false;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 7 || (b > 13 && b < 32 && b !== 27)) odd++;
  }
  return odd / n > 0.1;
}
