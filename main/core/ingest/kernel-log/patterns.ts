// The message formats fault records are assembled from, one regex each with the real lines it must accept
// above it (STYLE.md §4). Sources: Linux arch/arm64/mm/fault.c (die_kernel_fault, mem_abort_decode,
// data_abort_decode, show_pte, __do_user_fault), arch/arm64/kernel/traps.c (die, arm64_show_signal,
// arm64_serror_panic, bad_mode), arch/arm64/kernel/entry-common.c (__panic_unhandled),
// arch/arm64/kvm/{handle_exit.c (nvhe_hyp_panic_handler, kvm_handle_unknown_ec), mmu.c
// (kvm_handle_guest_abort), mmio.c (io_mem_abort), sys_regs.c (print_sys_reg_msg)},
// arch/arm64/kvm/hyp/{nvhe,vhe}/switch.c (hyp_panic), drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c
// (arm_smmu_evtq_thread, arm_smmu_dump_event), drivers/iommu/arm/arm-smmu/arm-smmu.c
// (arm_smmu_context_fault), QEMU accel/kvm/kvm-all.c (kvm_cpu_exec) and target/arm/cpu.c
// (aarch64_cpu_dump_state). Examples are from ../shared/samples/logs and the kernel's format strings.
// Every regex is matched against a logical line's body (prefixes, leading blanks and debug function names
// removed), so none needs to allow for them.

const HEX = '[0-9a-fA-F]';

// ---- arm64 kernel faults (fault.c) ----------------------------------------------------------------
//   Unable to handle kernel NULL pointer dereference at virtual address 0000000000000038
//   Unable to handle kernel paging request at virtual address ffff001f11e1e436
//   Unable to handle kernel read from unreadable memory at virtual address 0000000000000010
//   Unable to handle kernel paging request at virtual address 00000038          (4.x, %08lx)
export const UNABLE_RE = new RegExp(`^Unable to handle kernel (.+?) at virtual address (?:0x)?(${HEX}{1,16})`);
//   Mem abort info:
export const MEM_ABORT_INFO_RE = /^Mem abort info:/;
//   ESR = 0x96000004          ESR = 0x0000000096000004 (5.19+)        ESR = 0x92000047
export const ESR_LINE_RE = new RegExp(`^ESR = (?:0x)?(${HEX}{1,16})\\b`);
//   EC = 0x25: DABT (current EL), IL = 32 bits           (5.4+)
export const EC_LINE_RE = /^EC = 0x([0-9a-fA-F]{1,2}): (.*?), IL = (\d+) bits/;
//   Exception class = DABT (current EL), IL = 32 bits    (<= 5.3)
export const EXCEPTION_CLASS_RE = /^Exception class = (.*?), IL = (\d+) bits/;
//   SET = 0, FnV = 0
export const SET_FNV_RE = /^SET = (\d+), FnV = (\d+)/;
//   EA = 0, S1PTW = 0
export const EA_S1PTW_RE = /^EA = (\d+), S1PTW = (\d+)/;
//   FSC = 0x05: level 1 translation fault                (5.12+)
export const FSC_LINE_RE = /^FSC = 0x([0-9a-fA-F]{1,2}): (.*)$/;
//   Data abort info:
export const DATA_ABORT_INFO_RE = /^Data abort info:/;
//   ISV = 0, ISS = 0x00000007        ISV = 0, ISS = 0x00000005, ISS2 = 0x00000000 (6.7+)
export const ISV_LINE_RE = new RegExp(`^ISV = (\\d), ISS = 0x(${HEX}{1,8})(?:, ISS2 = 0x(${HEX}{1,8}))?`);
//   Access size = 4 byte(s)      SSE = 0, SRT = 1      SF = 1, AR = 0
export const ISV1_LINE_RE = /^(?:Access size = \d+ byte|SSE = \d+, SRT = \d+|SF = \d+, AR = \d+)/;
//   CM = 0, WnR = 0        CM = 0, WnR = 1, TnD = 0, TagAccess = 0        GCS = 0, Overlay = 0, DirtyBit = 0, Xs = 0
export const CM_WNR_RE = /^CM = (\d+), WnR = (\d+)|^GCS = \d+, Overlay/;
//   user pgtable: 4k pages, 48-bit VAs, pgdp=00000000be0f0000
//   swapper pgtable: 4k pages, 39-bit VAs, pgdp=00000000011d6000
//   user pgtable: 64k pages, 48-bit VAs, pgdp = 0000000067027567                  (older: spaces)
export const PGTABLE_RE = /^(\S+) pgtable: (\d+)k pages, (\d+)-bit VAs, pgdp ?= ?(?:0x)?([0-9a-fA-F]+)/;
//   [0000000000000038] pgd=0000082444120003, pud=0000082444120003, pmd=..., pte=0000000000000000
//   [0000ffff6dff0000] pgd=000000176bae0003                                         (show_pte: prefix)
//   [0000000000000010]                                                             (wrapped before pgd=)
export const PTE_ADDR_RE = new RegExp(`^\\[(${HEX}{8,16})\\](?: \\*?pgd=| *$)`);
//   , pud=000000176bae0003        , pte_pfn: 8023a     (KERN_CONT pieces of show_pte)
export const PTE_CONT_RE = /^, (?:p4d|pud|pmd|pte)(?:_pfn)?[=:]/;
//   Internal error: Oops: 96000004 [#1] SMP
//   Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP                        (5.19+)
//   Internal error: Oops - BUG: 00000000f2000800 [#1] PREEMPT SMP
//   Internal error: Oops - BUG: 0 [#1] PREEMPT SMP
//   Internal error: synchronous external abort: 96000210 [#1] PREEMPT SMP
//   Internal error: : 96000210 [#1] PREEMPT SMP                                    (4.14, empty string)
export const INTERNAL_ERROR_RE = new RegExp(`^Internal error: (.*?): ?(?:0x)?(${HEX}{1,16}) \\[#(\\d+)\\]`);
//   Unhandled fault: synchronous external abort (0x96000210) at 0xffff000008c4a000    (<= 4.15 do_mem_abort)
export const UNHANDLED_FAULT_RE = new RegExp(`^Unhandled fault: (.*?) \\((?:0x)?(${HEX}{1,16})\\) at (?:0x)?(${HEX}{1,16})`);
//   Unhandled fault at 0xffff800011c4a000          (4.16-5.12 do_mem_abort: pr_alert("Unhandled fault at 0x%016lx\n",
//   addr), then mem_abort_decode's `Mem abort info:` and show_pte; the fault's name only in the die() after it:
//   `Internal error: level 0 address size fault: 96000000 [#1]`. 5.13 prints die_kernel_fault's header instead.)
export const UNHANDLED_FAULT_AT_RE = new RegExp(`^Unhandled fault at (?:0x)?(${HEX}{1,16})$`);
//   Unhandled 64-bit el1h sync exception on CPU0, ESR 0x0000000086000006 -- IABT (current EL)
export const PANIC_UNHANDLED_RE = new RegExp(`^Unhandled (.+?) exception on CPU(\\d+), ESR (?:0x)?(${HEX}{1,16}) -- (.*)`);
//   Insufficient stack space to handle exception!      then      ESR: 0x0000000096000047 -- DABT (current EL)
export const STACK_OVERFLOW_RE = /^Insufficient stack space to handle exception!/;
export const ESR_COLON_RE = new RegExp(`^ESR: (?:0x)?(${HEX}{1,16}) -- (.*)`);
//   FAR: 0xffff800012345678        (stack overflow report)
export const FAR_COLON_RE = new RegExp(`^FAR: (?:0x)?(${HEX}{1,16})`);
//   Bad mode in Error handler detected on CPU0, code 0xbf000000 -- SError         (4.x bad_mode)
export const BAD_MODE_RE = new RegExp(`^Bad mode in (\\S+) handler detected on CPU(\\d+), code (?:0x)?(${HEX}{1,16}) -- (.*)`);
//   kernel BUG at fs/ext4/inode.c:2674!
export const KERNEL_BUG_AT_RE = /^kernel BUG at (.+?)!/;
//   CPU: 1 PID: 1918 Comm: qemu-system-aar Tainted: G        W         5.5.0-rc2-14819-g4e11d8f-dirty #20
//   CPU: 3 PID: 177 Comm: devmem Not tainted 5.6.0-rc7-g3893c2025fec #82           (re-joined after wrap)
//   CPU: 0 UID: 0 PID: 1184 Comm: kworker/0:0 Tainted: G C 6.12.0 #3              (6.10+: UID)
//   CPU: 5 PID: 4321 Comm: qemu-kvm Kdump: loaded Not tainted 6.1.0 #1               (a crash kernel is loaded)
//   CPU: 5 UID: 0 PID: 4321 Comm: qemu-system-aar Kdump: loaded Tainted: G        W          6.12.0-rc3 #7
// lib/dump_stack.c dump_stack_print_info: "CPU: %d [UID: %u ]PID: %d Comm: %.20s %s%s %s %.*s", the first %s
// being `kexec_crash_loaded() ? "Kdump: loaded " : ""`, the second print_tainted().
export const CPU_PID_RE = /^CPU: (\d+) (?:UID: \d+ )?PID: (\d+) Comm: (.{1,16}?) (?:Kdump: loaded )?(?:Not tainted|Tainted: [A-Z ]*?)(?: +(\d\S*)(?: #\S+.*)?)?$/;
//   pc : irq_domain_activate_irq+0x0/0x58        pc : 00000000004087b0        pc : [<ffff000008081234>] lr : [<...>] pstate: 60000145 (4.x)
export const PC_LINE_RE = /^pc : (?:\[<([0-9a-fA-F]{8,16})>\](?: |$))?(.*)$/;
//   Kernel panic - not syncing: Asynchronous SError Interrupt
export const KERNEL_PANIC_RE = /^Kernel panic - not syncing: ?(.*)$/;
//   ---[ end trace e0d0e4b407d388f3 ]---        ---[ end trace 0000000000000000 ]---
export const END_TRACE_RE = /^---\[ end trace/;
//   ---[ end Kernel panic - not syncing: Asynchronous SError Interrupt ]---
export const END_PANIC_RE = /^---\[ end Kernel panic - not syncing: ?(.*)$/;

// Lines of an Oops/panic report that carry nothing a record needs but belong to it (kept in its range).
//   Modules linked in: ...   Hardware name: ...   Workqueue: ...   pstate: ...   lr : ...   sp : ...
//   x29: ffff8000160af7b0 x28: ...   Call trace:   dump_backtrace+0x0/0x1b0   Code: a8c87bfd (f9400803)
//   SMP: stopping secondary CPUs   Kernel Offset: ...   PHYS_OFFSET: ...   CPU features: ...   Memory Limit: none
//   irq event stamp: 1855748   hardirqs last  enabled at (1855747): [<ffff0000111a8a44>] ...
//   note: kvm-vcpu-1[1430] exited with preempt_count 1   Process swapper/0 (pid: 1, stack limit = 0x...)
//   [<ffff000008085f70>] el0_svc_naked+0x30/0x34   (4.x frames)   Task stack: [0x...]   Rebooting in 10 seconds..
export const REPORT_LINE_RE = /^(?:Modules linked in|Hardware name:|Workqueue:|pstate:|lr :|sp :|x\d{1,2} *:|Call [Tt]race:|Code:|SMP: stopping|Kernel Offset:|PHYS_OFFSET:|CPU features:|Memory Limit:|irq event stamp:|hardirqs last|softirqs last|note: |Process .* \(pid: |Stack: |Exception stack|PC is at |LR is at |pgd = |Task stack:|IRQ stack:|Overflow stack:|Rebooting in|---\[ cut here|Dumping ftrace buffer|Preemption disabled at:|in_atomic\(\)|CPU: \d+ |nVHE call trace:|\[<[0-9a-f]+>\]|\S+\+0x[0-9a-f]+\/0x[0-9a-f]+|<(?:TASK|IRQ)>|\[(?:\s*[0-9a-f]+)?\] ?\*?pgd=)/;
// A line that continues the module list (lowercase words), e.g. the wrapped `Modules linked in:` of 051.
export const MODULE_WORDS_RE = /^[a-z0-9_]+(?:\([A-Z]+\))?(?: [a-z0-9_]+(?:\([A-Z]+\))?)*(?: \[[a-z0-9_]+\])?>?$/;

// ---- user-space faults (fault.c __do_user_fault, traps.c arm64_show_signal) -----------------------------
//   a.out[1234]: unhandled level 2 translation fault (11) at 0x00000000, esr 0x92000046       (<= 5.x)
export const USER_FAULT_OLD_RE = new RegExp(`^(.+?)\\[(\\d+)\\]: unhandled (.+?) \\((\\d+)\\) at (?:0x)?(${HEX}{1,16}), esr (?:0x)?(${HEX}{1,16})`);
//   a.out[1234]: unhandled exception: DABT (lower EL), ESR 0x0000000092000047, level 3 translation fault in a.out[400000+1000]
export const USER_FAULT_NEW_RE = new RegExp(`^(.+?)\\[(\\d+)\\]: unhandled exception: (.+?), ESR (?:0x)?(${HEX}{1,16}), (.*)$`);

// ---- SError (traps.c) ----------------------------------------------------------------------------------
//   SError Interrupt on CPU3, code 0xbf000002 -- SError           SError Interrupt on CPU1, code 0x00000000be000411 -- SError
export const SERROR_RE = new RegExp(`^SError Interrupt on CPU(\\d+), code (?:0x)?(${HEX}{1,16}) -- (.*)`);

// ---- KVM (kvm_err/kvm_pr_unimpl print `kvm [%i]: ` with the current task's pid) -------------------------
//   kvm [307]: nVHE hyp BUG at: arch/arm64/kvm/hyp/nvhe/switch.c:242!
export const KVM_PREFIX_RE = /^kvm \[(\d+)\]: ?(.*)$/;
//   nVHE hyp BUG at: arch/arm64/kvm/hyp/nvhe/switch.c:242!
//   nVHE hyp panic at: [<ffff800008f0a3e4>] __kvm_nvhe_handle_trap+0x24/0x48!
//   nVHE hyp BUG at: [<ffff800008f0a3e4>] __kvm_nvhe___pkvm_host_share_hyp+0x164/0x170!
export const NVHE_HYP_RE = /^nVHE hyp (BUG|panic) at: (?:\[<([0-9a-fA-F]{8,16})>\] ?)?(.*?)!?$/;
//   Hyp Offset: 0xfffea6c58e1e0000
export const HYP_OFFSET_RE = new RegExp(`^Hyp Offset: (?:0x)?(${HEX}{1,16})`);
//   Kernel panic - not syncing: HYP panic:          (the panic string continues on the next lines)
export const HYP_PANIC_RE = /^(?:Kernel panic - not syncing: |---\[ end Kernel panic - not syncing: )?HYP panic:/;
//   PS:400003c9 PC:0000d93a82c705ac ESR:f2000800          PS:600003c9 PC:ffff800010123456 ESR:0000000096000046
export const HYP_PS_RE = new RegExp(`^PS:(${HEX}{1,16}) PC:(${HEX}{1,16}) ESR:(${HEX}{1,16})`);
//   FAR:0000000080080000 HPFAR:0000000000800800 PAR:0000000000000000
export const HYP_FAR_RE = new RegExp(`^FAR:(${HEX}{1,16}) HPFAR:(${HEX}{1,16}) PAR:(${HEX}{1,16})`);
//   VCPU:0000d93a880d0000          VCPU:0000d93a880d0000 ]---          VCPU:(null)
export const HYP_VCPU_RE = /^VCPU:(\S+?)( \]---)?$/;
//   Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061
export const UNSUPPORTED_FSC_RE = new RegExp(`^Unsupported FSC: EC=(?:0x)?(${HEX}{1,2}) xFSC=(?:0x)?(${HEX}{1,2}) ESR_EL2=(?:0x)?(${HEX}{1,16})`);
//   Unsupported fault status: EC=0x24 DFCS=0x21                       (arch/arm KVM, <= 4.x)
export const UNSUPPORTED_STATUS_RE = new RegExp(`^Unsupported fault status: EC=(?:0x)?(${HEX}{1,2}) DFCS=(?:0x)?(${HEX}{1,2})`);
//   Data abort outside memslots with no valid syndrome info          (v5.5-v6.6, mmio.c)
//   load/store instruction decoding not implemented                  (before v5.5)
export const NISV_RE = /^(Data abort outside memslots with no valid syndrome info|load\/store instruction decoding not implemented)/;
//   Unsupported guest sys_reg access at: 80528a6c [80000005]
//   Unsupported guest sys_reg access at: ffff800010093f24          (older: no PSTATE)
//   Unsupported guest CP15 access at: 0000a1b4 [600001d3]
export const SYSREG_RE = new RegExp(`^Unsupported guest (sys_reg|CP(\\d+)) access at: (?:0x)?(${HEX}{1,16})(?: \\[(${HEX}{1,16})\\])?`);
//   { Op0( 3), Op1( 0), CRn(10), CRm( 5), Op2( 0), func_read },
export const SYSREG_OPS_RE = /^\{ ?(?:Op0\( ?(\d+)\), )?Op1\( ?(\d+)\), CRn\( ?(\d+)\), CRm\( ?(\d+)\), Op2\( ?(\d+)\), func_(read|write) \},?/;
//   Unhandled cp10 register MVFR2: 7
export const CP10_RE = /^Unhandled cp10 register (\S+): (\d+)/;

// ---- SMMU ----------------------------------------------------------------------------------------------
//   arm-smmu-v3 arm-smmu-v3.2.auto: event 0x10 received:
//   arm-smmu 5040000.iommu: Unhandled context fault: fsr=0x402, iova=0x7ffe35c0, fsynr=0x1, cb=1
export const SMMU_DEVICE_RE = /^(arm-smmu(?:-v3)?|arm_smmu(?:_v3)?) (\S+): (.*)$/;
export const SMMU_EVENT_RE = /^event 0x([0-9a-fA-F]{1,2}) received:/;
//   0x00007d1200000010        0x00000180 00000010 (two 32-bit halves)
export const SMMU_DWORD_RE = /^0x([0-9a-fA-F]{16})$|^0x([0-9a-fA-F]{8}) ([0-9a-fA-F]{8})$/;
//   event: F_TRANSLATION client: 0000:01:00.0 sid: 0x100 ssid: 0x0 iova: 0xfffef040 ipa: 0x0      (6.15+)
export const SMMU_DECODED_RE = /^event: (\S+) client: (.+?) sid: (0x[0-9a-f]+) ssid: (0x[0-9a-f]+)(?: iova: (0x[0-9a-f]+) ipa: (0x[0-9a-f]+))?/;
//   unpriv data write s1 "Input address caused fault" stag: 0x0
export const SMMU_DECODED2_RE = /^(?:priv|unpriv) (?:inst|data) (?:read|write) s[12] "/;
//   Unhandled context fault: fsr=0x402, iova=0x7ffe35c0, fsynr=0x1, cb=1
//   Unhandled context fault: fsr=0x402, iova=0x7ffe35c0, fsynr=0x1, cbfrsynra=0x21, cb=1
export const CONTEXT_FAULT_RE = /^Unhandled context fault: fsr=(0x[0-9a-fA-F]+), iova=(0x[0-9a-fA-F]+), fsynr=(0x[0-9a-fA-F]+)(?:, cbfrsynra=(0x[0-9a-fA-F]+))?, cb=(\d+)/;
//   FSR    = 00000402 [Format=2 TF], SID=0x21          (qcom decode lines after it)
export const CONTEXT_FAULT_DETAIL_RE = /^(?:FSR|FSYNR0|FSYNR1|CBFRSYNRA|TTBR0|TTBR1|SCTLR|CONTEXTIDR|FAR) *=/;

// ---- QEMU (kvm-all.c kvm_cpu_exec, target/arm/cpu.c aarch64_cpu_dump_state) ---------------------------
//   error: kvm run failed Bad address
//   error: kvm run failed Function not implemented
export const KVM_RUN_FAILED_RE = /^(?:\S+: )?error: kvm run failed (.+?)\s*$/;
//    PC=ffff8000108c1234 X00=0000000000000000 X01=ffff000004000000
export const QEMU_PC_RE = new RegExp(`^PC=(${HEX}{16})`);
//   X02=... X03=... X04=...      PSTATE=80400005 N--- EL1h     SVCR=...   FPCR=... FPSR=...   Q00=...   SP=...
export const QEMU_DUMP_RE = /^(?:X\d\d=|PSTATE=|SVCR=|FPCR=|FPSR=|Q\d\d=|Z\d\d=|P\d\d=|FFR=|SP=|ZCR=)/;

// ---- Bundle context --------------------------------------------------------------------------------------
//   Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]
export const BOOTING_RE = /^Booting Linux on physical CPU (0x[0-9a-fA-F]+) \[(0x[0-9a-fA-F]{8})\]/;
//   Linux version 6.1.0-18-arm64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, ...) #1 SMP Debian 6.1.76-1 (2024-02-01)
export const LINUX_VERSION_RE = /^Linux version (\S+)/;
//   Kernel command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-arm64 root=UUID=... ro quiet iommu.passthrough=0
export const CMDLINE_RE = /^Kernel command line: (.*)$/;
// The header libvirt writes to a domain's log when it starts QEMU (src/qemu/qemu_process.c qemuLogOperation:
// "%s: %s %s, qemu version: %d.%d.%d%s, kernel: %s, hostname: %s", the host's uname release and name):
//   starting up libvirt version: 9.0.0, package: 9.0.0-4 (Debian), qemu version: 7.2.0Debian 1:7.2+dfsg-7, kernel: 6.1.0-18-arm64, hostname: myhost
export const LIBVIRT_START_RE = /^starting up libvirt version: .*, kernel: ([^\s,]+), hostname: (\S+)/;

// ---- Boots ---------------------------------------------------------------------------------------------
// journalctl prints a line between the entries of two boots (systemd src/shared/logs-show.c, show_journal):
//   -- Boot 9b2c4d6e8f0a1b2c3d4e5f6a7b8c9d0e --      (systemd 246 and later)
//   -- Reboot --                                     (before)
export const BOOT_SEPARATOR_RE = /^-- (?:Boot [0-9a-f]{32}|Reboot) --\s*$/;
