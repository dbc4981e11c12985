// 0005: where a log's boots begin. The kernel's since-boot clock restarts at each boot; a log of several
// (a console capture across a reboot, journalctl's text with `-- Boot … --` lines) keeps in boot_lines the
// line numbers at which its second, third, … boot begin, as a JSON array (NULL for a log of one boot), so
// that the log view can tell which boot a line is of (main/core/ingest/boot-clock.ts). Issue 4.
import type { Migration } from './types';

export const migration: Migration = {
  version: 5,
  name: 'file-boots',
  up(db) {
    db.exec(`ALTER TABLE files ADD COLUMN boot_lines TEXT;`);
  },
};
