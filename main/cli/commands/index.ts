// Every `faultline <command>`, in the order `faultline --help` lists them.
import type { CliCommand } from '../types';
import { command as start } from './start';
import { command as serve } from './serve';

export const commands: CliCommand[] = [start, serve];
