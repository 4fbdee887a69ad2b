/**
 * Custom headers follow Grafana's convention: `jsonData.httpHeaderNameN` + `secureJsonData.httpHeaderValueN`,
 * applied by the data proxy server-side (grafana/grafana:docs/sources/administration/provisioning/index.md, "Custom
 * HTTP headers"). The tenant of a
 * multi-tenant Pyroscope is one such header, `X-Scope-OrgID`; these helpers find or allocate its slot.
 */
import type { DataSourceSettings } from '@grafana/data';

import type { GoRuntimeOptions, GoRuntimeSecureOptions } from '../../types';

export const TENANT_HEADER = 'X-Scope-OrgID';

type Settings = DataSourceSettings<GoRuntimeOptions, GoRuntimeSecureOptions>;

function headerName(jsonData: GoRuntimeOptions, slot: number): string | undefined {
  const name = (jsonData as Record<string, unknown>)[`httpHeaderName${slot}`];
  return typeof name === 'string' ? name : undefined;
}

/** The slot (N of httpHeaderNameN) holding `header`, or undefined. */
export function headerSlot(jsonData: GoRuntimeOptions, header: string): number | undefined {
  for (let i = 1; headerName(jsonData, i) !== undefined; i++) {
    if (headerName(jsonData, i)!.toLowerCase() === header.toLowerCase()) {
      return i;
    }
  }
  return undefined;
}

function nextSlot(jsonData: GoRuntimeOptions): number {
  let i = 1;
  while (headerName(jsonData, i) !== undefined) {
    i++;
  }
  return i;
}

/** Sets the header's secret value, allocating a slot when it has none. */
export function setHeaderValue(options: Settings, header: string, value: string): Settings {
  const slot = headerSlot(options.jsonData, header) ?? nextSlot(options.jsonData);
  return {
    ...options,
    jsonData: { ...options.jsonData, [`httpHeaderName${slot}`]: header },
    secureJsonData: { ...options.secureJsonData, [`httpHeaderValue${slot}`]: value },
  };
}

/** Clears the stored value so a new one can be typed (secrets are write-only after saving). */
export function resetHeaderValue(options: Settings, header: string): Settings {
  const slot = headerSlot(options.jsonData, header);
  if (slot === undefined) {
    return options;
  }
  return {
    ...options,
    secureJsonFields: { ...options.secureJsonFields, [`httpHeaderValue${slot}`]: false },
    secureJsonData: { ...options.secureJsonData, [`httpHeaderValue${slot}`]: '' },
  };
}

export function isHeaderConfigured(options: Settings, header: string): boolean {
  const slot = headerSlot(options.jsonData, header);
  return slot !== undefined && Boolean(options.secureJsonFields?.[`httpHeaderValue${slot}`]);
}
