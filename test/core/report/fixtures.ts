// Hand-built report inputs for the tests, from real cases:
// - the seed case (DOMAIN.md §1 and §3(f)): a Linux 6.1 host passes a GPU through with vfio-pci; the guest maps
//   a BAR write-combined (Normal-NC), KVM < 6.9 maps it Device-nGnRE in stage 2, an unaligned guest store takes
//   a stage-2 alignment fault that KVM cannot handle. KVM prints the format string of arch/arm64/kvm/mmu.c
//   ("Unsupported FSC: EC=%#x xFSC=%#lx ESR_EL2=%#lx") with ESR_EL2 0x92000061 and QEMU prints
//   "error: kvm run failed Bad address". Fix: 8c47ce3e1d2c ("KVM: arm64: Set io memory s2 pte as normalnc for
//   vfio pci device"), v6.9, Link: https://lore.kernel.org/r/20240224150546.368-4-ankita@nvidia.com (the
//   commit's own Link: tag); the 2022 thread: 20220401090828.614167-1-xieming@kylinos.cn.
//   SOURCE: DOMAIN.md; commit message read at git.maquefel.me/?a=commit&h=8c47ce3e1d2c285349edf426b98e8460ce3e2f33
// - the real log ../shared/samples/logs/035-… (Raspberry Pi CM4, 6.1.45, two Oopses) for an undiagnosed case.
import { EMPTY_CONTEXT, type BundleContext, type FaultRecord } from '../../../main/core/ingest/fault-record';
import type { DiagnosisInput, FaultInput, ReportInput } from '../../../main/core/report/input';

export const SEED_ESR = 0x92000061n;

export const SEED_CONTEXT: BundleContext = {
  ...EMPTY_CONTEXT,
  hostname: 'gpu-host-01',
  kernels: ['6.1.0-18-arm64'],
  midr: '0x413fd0c1',
  cpuDescription: 'ARM Neoverse-N1',
  pageSizeKiB: 4,
  vaBits: 48,
  pciDevices: [
    {
      bdf: '0000:01:00.0',
      description: 'VGA compatible controller: NVIDIA Corporation GA102GL [RTX A6000]',
      vendorDevice: '10de:2230',
      driver: 'vfio-pci',
      bars: [
        { index: 0, address: 0x50000000n, size: 16n << 20n, prefetchable: false, is64: false },
        { index: 1, address: 0x8000000000n, size: 64n << 30n, prefetchable: true, is64: true },
      ],
    },
    { bdf: '0000:00:01.0', description: 'Ethernet controller', vendorDevice: null, driver: 'mlx5_core', bars: [] },
  ],
  vms: [{ pid: 2716, name: 'qemu-system-aarch64', vcpus: [{ tid: 2731, index: 0 }, { tid: 2732, index: 1 }] }],
};

export function record(over: Partial<FaultRecord> & Pick<FaultRecord, 'kind' | 'text' | 'source'>): FaultRecord {
  return {
    esr: null,
    el: null,
    far: null,
    ipa: null,
    pc: null,
    cpu: null,
    pid: null,
    comm: null,
    timeNs: null,
    kernel: null,
    extra: {},
    ...over,
  };
}

export const SEED_KVM_LINE = '[ 4455.108833] kvm [2716]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061';
export const SEED_QEMU_LINE = 'error: kvm run failed Bad address';

export const seedFaults: FaultInput[] = [
  {
    id: 1,
    count: 1,
    decode: null,
    record: record({
      kind: 'kvm_unsupported_fsc',
      esr: SEED_ESR,
      el: 2,
      pid: 2716,
      comm: 'qemu-system-aarch64',
      timeNs: 4455108833000n,
      kernel: '6.1.0-18-arm64',
      source: { file: 'sos_commands/kernel/dmesg', line: 1042, endLine: 1042 },
      text: SEED_KVM_LINE,
    }),
    replay: {
      verdict: 'reproduced',
      summary:
        'Stage 1 maps the BAR Normal-NC and passes the unaligned store; stage 2 maps it Device-nGnRE, so the store takes a stage-2 alignment fault (DFSC 0x21) taken to EL2.',
      predictedEsr: SEED_ESR,
      inputs: [
        { name: 'MAIR_EL1.Attr<n>', value: '0x44 (Normal-NC)', origin: 'assumed', note: 'guest ioremap_wc() of a GPU BAR' },
        { name: 'S2 MemAttr', value: '0b0001 (Device-nGnRE)', origin: 'assumed', note: 'KVM before 6.9 maps VFIO BARs Device-nGnRE' },
        { name: 'HCR_EL2.FWB', value: '0', origin: 'assumed', note: null },
        { name: 'ESR_EL2', value: '0x92000061 (DABT_LOW, WnR=1, DFSC=0x21)', origin: 'recorded', note: 'sos_commands/kernel/dmesg:1042' },
      ],
      combine: {
        s1: { node: 'Normal-NC', label: 'Normal-NC', encoding: 'MAIR 0x44' },
        s2: { node: 'Device-nGnRE', label: 'Device-nGnRE', encoding: 'MemAttr 0b0001' },
        result: { node: 'Device-nGnRE', label: 'Device-nGnRE', encoding: null },
        fwb: false,
        rule: { id: 's2-device', text: 'Stage 2 is Device: it overrides the Normal stage-1 mapping.', asl: 'S2CombineS1MemAttrs' },
        alignmentFaultStage: 2,
      },
    },
  },
  {
    id: 2,
    count: 1,
    decode: null,
    replay: null,
    record: record({
      kind: 'vmm_error',
      source: { file: 'var/log/libvirt/qemu/gpu-vm.log', line: 88, endLine: 88 },
      text: SEED_QEMU_LINE,
      extra: { error: 'Bad address' },
    }),
  },
];

export const seedDiagnosis: DiagnosisInput = {
  id: 'd1',
  ruleId: 'kvm-s2-device-vfio-bar-alignment',
  title: 'Unaligned guest access to a VFIO BAR that stage 2 maps Device-nGnRE',
  severity: 'critical',
  explanation: [
    'The guest maps the passed-through BAR write-combined (Normal-NC) and makes an unaligned store to it. Before Linux 6.9, KVM maps VFIO-PCI BARs Device-nGnRE in stage 2; the combined type is Device-nGnRE, where unaligned accesses fault. The stage-2 alignment fault (ESR_EL2 0x92000061, DFSC 0x21) is not one KVM handles: it prints "Unsupported FSC", KVM_RUN fails with EFAULT and QEMU stops the VM.',
  ],
  fixedIn: '6.9',
  action: 'Run a host kernel with Linux 6.9 or later (or a backport of the fix), where vfio-pci BARs are mapped Normal-NC in stage 2.',
  faultIds: [1, 2],
  references: [
    {
      kind: 'commit',
      sha: '8c47ce3e1d2c285349edf426b98e8460ce3e2f33',
      subject: 'KVM: arm64: Set io memory s2 pte as normalnc for vfio pci device',
      version: '6.9',
      role: 'fix',
    },
    { kind: 'lore', messageId: '20240224150546.368-4-ankita@nvidia.com', title: '[PATCH v9 3/4] KVM: arm64: Set io memory s2 pte as normalnc for vfio pci device' },
    { kind: 'lore', messageId: '20220401090828.614167-1-xieming@kylinos.cn', title: '[PATCH v2] kvm/arm64: fixed passthrough gpu into vm on arm64' },
  ],
};

export function seedInput(over: Partial<ReportInput> = {}): ReportInput {
  return {
    bundle: { id: 1, name: 'gpu-passthrough-6.1', sourcePath: null, context: SEED_CONTEXT, startNs: 4450000000000n, endNs: 4456000000000n },
    selection: { kind: 'bundle' },
    faults: seedFaults,
    diagnoses: [seedDiagnosis],
    diagnostics: [
      { kind: 'unterminated-block', severity: 'data-loss', file: 'sos_commands/kernel/dmesg', line: 12, message: 'a Mem abort info block ends before its ESR line' },
      { kind: 'unknown-format', severity: 'info', file: 'etc/hostname', line: null, message: 'stored as plain lines' },
    ],
    generator: 'Faultline 0.1.0',
    ...over,
  };
}

/** Markup a log line may carry (issue 8): each must show as text in the HTML report. */
export const HOSTILE: readonly string[] = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '</style><style>body{display:none}</style>'];

/** A report input whose log text, file names, task names and diagnosis prose carry markup. */
export function hostileInput(): ReportInput {
  const faults: FaultInput[] = HOSTILE.map((text, i) => ({
    id: 100 + i,
    count: 1,
    decode: null,
    replay: null,
    record: record({
      kind: 'vmm_error',
      comm: `qemu<b>${i}</b>`,
      timeNs: BigInt(i) * 1000n,
      source: { file: `logs/<i>${i}</i>.log`, line: i + 1, endLine: i + 1 },
      text: `error: kvm run failed ${text}`,
    }),
  }));
  return seedInput({
    faults: [...seedFaults, ...faults],
    diagnoses: [{ ...seedDiagnosis, title: `Title ${HOSTILE[0]}`, explanation: [`Prose ${HOSTILE[2]}`] }],
    diagnostics: [{ kind: 'x', severity: 'error', file: '<script>f</script>', line: 1, message: HOSTILE[1] as string }],
    bundle: { ...seedInput().bundle, name: `bundle ${HOSTILE[0]}` },
  });
}

