// Escaping for the HTML report. Every piece of text that comes from a bundle (log lines, file names, comm
// names, diagnosis prose) goes through one of these: a log line containing `<script>`, `<img onerror=…>` or
// `</style>` must show as text and create no element (issue 8).

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for element content or a quoted attribute value. `&`, `<`, `>`, both quotes are entities; C0 control
 * characters other than tab and newline (which HTML would drop or render as nothing) are shown as `\xNN`,
 * and lone surrogates as U+FFFD, so what a reader sees is what the log held.
 */
export function escapeHtml(text: string): string {
  return (
    text
      .replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
  );
}

/** An attribute `name="value"` with the value escaped. */
export function attr(name: string, value: string | number): string {
  return `${name}="${escapeHtml(String(value))}"`;
}

/** A URL for an `href`: only http(s) is linked; anything else (`javascript:`, `data:`) becomes inert text. */
export function safeHref(url: string): string | null {
  return /^https?:\/\/[^\s"'<>]+$/i.test(url) ? url : null;
}
