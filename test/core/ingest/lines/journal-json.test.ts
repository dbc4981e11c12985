import { describe, expect, it } from 'vitest';
import { parseJournalJson } from '../../../../main/core/ingest/lines/journal-json';

describe('parseJournalJson (systemd.journal-fields(7))', () => {
  it('uses the kernel\'s own monotonic time for kernel records', () => {
    const e = parseJournalJson(
      '{"__REALTIME_TIMESTAMP":"1716561192123456","__MONOTONIC_TIMESTAMP":"23352431999","_SOURCE_MONOTONIC_TIMESTAMP":"23352431106","_TRANSPORT":"kernel","PRIORITY":"1","_HOSTNAME":"rockpro64","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"Mem abort info:"}',
    );
    expect(e).toEqual({ message: 'Mem abort info:', tsNs: 23_352_431_106_000n, clock: 'monotonic', pid: null, level: 1, host: 'rockpro64', ident: 'kernel' });
  });

  it('decodes a MESSAGE given as bytes, and falls back to the realtime clock', () => {
    const e = parseJournalJson('{"__REALTIME_TIMESTAMP":"1000000","MESSAGE":[104,105],"_PID":"42"}');
    expect(e?.message).toBe('hi');
    expect(e?.clock).toBe('realtime');
    expect(e?.tsNs).toBe(1_000_000_000n);
    expect(e?.pid).toBe(42);
  });

  it('refuses what is not a JSON object', () => {
    expect(parseJournalJson('{"MESSAGE": "cut')).toBeNull();
    expect(parseJournalJson('[1,2]')).toBeNull();
    expect(parseJournalJson('plain text')).toBeNull();
  });
});
