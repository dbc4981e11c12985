import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, routes } from '../../../renderer/state/route';

describe('parseRoute', () => {
  it('reads the addresses the issue names as deep links', () => {
    expect(parseRoute('#/')).toEqual({ page: 'home' });
    expect(parseRoute('')).toEqual({ page: 'home' });
    expect(parseRoute('#/bundle/3')).toEqual({ page: 'bundle', bundleId: 3, tab: 'overview' });
    expect(parseRoute('#/bundle/3/faults')).toEqual({ page: 'bundle', bundleId: 3, tab: 'faults' });
    expect(parseRoute('#/fault/12')).toEqual({ page: 'fault', faultId: 12 });
    expect(parseRoute('#/decode/0x92000061')).toEqual({ page: 'decode', values: ['0x92000061'], el: null, kernel: null });
    expect(parseRoute('#/decode/0x92000061,96000004')).toMatchObject({ page: 'decode', values: ['0x92000061', '96000004'] });
    expect(parseRoute('#/decode')).toEqual({ page: 'decode', values: [], el: null, kernel: null });
    expect(parseRoute('#/decode/0x92000061?el=2&kernel=6.1.0-18-arm64')).toEqual({
      page: 'decode',
      values: ['0x92000061'],
      el: 2,
      kernel: '6.1.0-18-arm64',
    });
  });

  it('reads the log target from the query part', () => {
    expect(parseRoute('#/log/2?file=sos_commands%2Fkernel%2Fdmesg&line=120')).toEqual({
      page: 'log',
      bundleId: 2,
      target: { file: 'sos_commands/kernel/dmesg', line: 120, query: null },
    });
    expect(parseRoute('#/log/2?q=Unsupported%20FSC')).toEqual({
      page: 'log',
      bundleId: 2,
      target: { file: null, line: null, query: 'Unsupported FSC' },
    });
  });

  it('refuses ids that are not positive integers and unknown pages', () => {
    for (const h of ['#/fault/0', '#/fault/-1', '#/fault/1e3', '#/fault/abc', '#/bundle/2/nope', '#/elsewhere', '#/fault/99999999999999999999']) {
      expect(parseRoute(h).page).toBe('not-found');
    }
  });

  it('round-trips every canonical address', () => {
    const hashes = ['#/', '#/bundle/7', '#/bundle/7/log', '#/fault/41', '#/decode/0x92000061', '#/decode', '#/decode/0x92000061?el=2&kernel=6.1', '#/what-if', '#/log/4?file=a%2Fb&line=9&q=x'];
    for (const h of hashes) expect(formatRoute(parseRoute(h))).toBe(h);
  });

  it('builds links that parse back to the same target', () => {
    expect(parseRoute(routes.log(5, { file: 'var/log/kern.log', line: 77 }))).toEqual({
      page: 'log',
      bundleId: 5,
      target: { file: 'var/log/kern.log', line: 77, query: null },
    });
    expect(parseRoute(routes.decode(['0x92000061', '0x96000021'], 2))).toEqual({
      page: 'decode',
      values: ['0x92000061', '0x96000021'],
      el: 2,
      kernel: null,
    });
  });
});
