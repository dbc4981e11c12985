// Lines a serial console or a terminal capture prints among a log's own, which are never the wrapped end of
// the line before them (kernel-log/logical-lines.ts, ftrace/tokenizer.ts):
//   [  OK  ] Started Session 3 of user root.        systemd's status lines (also [FAILED], [DEPEND],
//   [  *** ] A start job is running for …            [ TIME ], and the progress spinner)
//   root@kvmhost01:~#                                a shell prompt, with or without a command after it
//   kvmhost01 login:                                 a getty's prompt
//   ^C                                               the terminal's echo of a control key
const CONSOLE_LINE_RE = /^(?:\[\s*(?:OK|FAILED|DEPEND|TIME|\**)\s*\] |[\w.-]+@[\w.-]+:\S*\s?[#$](?:\s|$)|\S+ login: ?$|\^[A-Z@[\\\]^_]$)/;

/** Whether `text` (its quoting and leading blanks removed) is a console's line rather than a log's. */
export function isConsoleLine(text: string): boolean {
  return CONSOLE_LINE_RE.test(text);
}
