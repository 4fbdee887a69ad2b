/**
 * Live tests start the real demo Go service on a free loopback port and stop it afterwards.
 * The implementation is shared with the fixture script and the sandbox (scripts/lib/demo-service.js).
 */
const demo = require('../../scripts/lib/demo-service.js');

export interface DemoService {
  url: string;
  stop(): Promise<void>;
}

export interface DemoOptions {
  scenarios?: string[];
  load?: boolean;
  env?: Record<string, string>;
  /** How long to wait for the "listening on" line (default 15 s; the bench's stack zoo takes longer). */
  timeoutMs?: number;
}

export const startDemoService: (options?: DemoOptions) => Promise<DemoService> = demo.startDemoService;
export const setScenario: (url: string, name: string, on: boolean) => Promise<unknown> = demo.setScenario;
export const getScenarios: (url: string) => Promise<unknown> = demo.getScenarios;
