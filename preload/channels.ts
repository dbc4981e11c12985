// Channel names of the Electron transport (kept apart from contract.ts so the preload bundle stays tiny).
export const IPC_INVOKE_CHANNEL = 'faultline:invoke';
export const IPC_EVENT_CHANNEL = 'faultline:event';
