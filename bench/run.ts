// `npm run bench`: every area's benchmark, one after another, each printing its own figures.
// An area adds a file bench/<area>.ts exporting `run()` and one line below.
export {};

interface Bench {
  readonly name: string;
  readonly load: () => Promise<{ run(): Promise<void> }>;
}

const benches: Bench[] = [
  // First: how fast the machine is at this moment, against the figures the targets were planned on.
  { name: 'machine', load: () => import('./machine') },
  { name: 'esr', load: () => import('./esr') },
  { name: 'report', load: () => import('./report') },
  { name: 'mmu', load: () => import('./mmu') },
  { name: 'ui', load: () => import('./ui') },
  { name: 'ftrace', load: () => import('./ftrace') },
  { name: 'ingest', load: () => import('./ingest') },
];

const only = process.argv.slice(2);
for (const b of benches) {
  if (only.length > 0 && !only.includes(b.name)) continue;
  console.log(`\n== ${b.name}`);
  await (await b.load()).run();
}
