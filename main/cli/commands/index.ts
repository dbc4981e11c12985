// Every `faultline <command>`, in the order `faultline --help` lists them.
import type { CliCommand } from '../types';
import { command as start } from './start';
import { command as serve } from './serve';
import { command as decode } from './decode';
import { command as combine } from './combine';
import { command as replay } from './replay';
import { command as report } from './report';
import { command as ingest } from './ingest';
import { command as faults } from './faults';
import { command as events } from './events';

export const commands: CliCommand[] = [start, serve, decode, combine, replay, report, ingest, faults, events];
