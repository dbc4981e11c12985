// SError severity and what Linux does with it.
//
// Source: Arm ARM DDI0487 M.a.a, "ISS encoding for an SError exception" (IDS, AET valid only when DFSC is
// 0b010001); Linux arch/arm64/include/asm/traps.h arm64_is_ras_serror() (IDS=1 -> not a RAS error) and
// arm64_ras_serror_get_severity() (DFSC != ESR_ELx_FSC_SERROR -> UC), arch/arm64/kernel/traps.c
// arm64_is_fatal_ras_serror() (CE and UEO: the CPU can make progress; UEU and UER: fatal; UC and anything
// else: arm64_serror_panic()) and do_serror() ("non-RAS errors are not containable": panic). The panic
// prints "SError Interrupt on CPU%d, code 0x%016lx -- %s" and "Asynchronous SError Interrupt".

import type { SerrorInfo, SerrorSeverity } from './types';

const AET: Readonly<Record<number, readonly [SerrorSeverity, string]>> = {
  0: ['UC', 'Uncontainable: the error has been silently propagated'],
  1: ['UEU', 'Unrecoverable state: the PE cannot make progress'],
  2: ['UEO', 'Restartable state: the error has not been consumed yet'],
  3: ['UER', 'Recoverable state: the PE cannot make progress but software can recover'],
  6: ['CE', 'Corrected error'],
};

/** Severity of an SError ISS and whether Linux (host or guest kernel) panics on it. */
export function describeSerror(iss: number): SerrorInfo {
  const ids = (iss >>> 24) & 1;
  if (ids) {
    return {
      ids,
      severity: 'impdef',
      description: `IMPLEMENTATION DEFINED syndrome 0x${(iss & 0xffffff).toString(16)} (not an architected RAS error)`,
      linuxPanics: true,
      linuxReason: 'IDS=1: not a RAS error, so Linux cannot contain it (do_serror: "non-RAS errors are not containable") and panics',
    };
  }
  if ((iss & 0x3f) !== 0x11) {
    const reserved = (iss & 0x3f) !== 0;
    return {
      ids,
      severity: reserved ? 'reserved' : 'uncategorized',
      description: reserved ? `reserved DFSC 0x${(iss & 0x3f).toString(16)}` : 'Uncategorized error (no severity information)',
      linuxPanics: true,
      linuxReason: 'no severity information: Linux grades it Uncontainable (UC) and panics',
    };
  }
  const aet = (iss >>> 10) & 7;
  const row = AET[aet];
  if (!row) {
    return { ids, severity: 'reserved', description: `reserved AET 0b${aet.toString(2).padStart(3, '0')}`, linuxPanics: true, linuxReason: 'unknown severity: Linux treats it as Uncontainable and panics' };
  }
  const [severity, description] = row;
  const survives = severity === 'CE' || severity === 'UEO';
  return {
    ids,
    severity,
    description,
    linuxPanics: !survives,
    linuxReason: survives
      ? `${severity}: the CPU can make progress, Linux carries on (on a CPU with the RAS extension; without it every SError panics)`
      : `${severity}: Linux panics ("Asynchronous SError Interrupt")`,
  };
}
