/**
 * What every client needs to know about the data source it talks for: where the data proxy is, the settings, and
 * how to name the target in messages.
 */
import type { ResolvedOptions } from './types';

export interface Target {
  /** Data source name as the user gave it. */
  name: string;
  uid: string;
  /** `instanceSettings.url`: `/api/datasources/proxy/uid/<uid>` for `access: proxy`. */
  baseUrl: string;
  options: ResolvedOptions;
}

export function targetLabel(target: Target, detail?: string): string {
  return `${target.name} (${target.options.mode}${detail ? ` ${detail}` : ''})`;
}
