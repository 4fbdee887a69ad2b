import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import {
  CustomHeadersSettings,
  Field,
  FieldSet,
  Input,
  InlineSwitch,
  RadioButtonGroup,
  SecretInput,
  Stack,
} from '@grafana/ui';

import { safePath, UnsafePathError } from '../transport/paths';
import { DEFAULT_OPTIONS, GoRuntimeOptions, GoRuntimeSecureOptions, TargetMode } from '../types';
import { isHeaderConfigured, resetHeaderValue, setHeaderValue, TENANT_HEADER } from './config/headers';

type Props = DataSourcePluginOptionsEditorProps<GoRuntimeOptions, GoRuntimeSecureOptions>;

const MODES: Array<{ label: string; value: TargetMode; description: string }> = [
  {
    label: 'Go pprof (live)',
    value: 'pprof',
    description: "A Go service's net/http/pprof, or a gateway in front of many",
  },
  { label: 'Pyroscope (history)', value: 'pyroscope', description: 'Grafana Pyroscope: any past range' },
];

const MB = 1024 * 1024;

function pathProblem(what: string, value: string | undefined): string | undefined {
  try {
    safePath(what, (value ?? '').replace(/\$\{?instance\}?/g, 'x'));
    return undefined;
  } catch (e) {
    return e instanceof UnsafePathError ? e.message : String(e);
  }
}

/**
 * Settings: mode and URL, authentication through Grafana's data proxy (basic auth, custom headers, the Pyroscope
 * tenant as an `X-Scope-OrgID` header), and the limits every query honours. Secrets go to secureJsonData only.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = { ...DEFAULT_OPTIONS, ...options.jsonData };
  const setJson = (patch: Partial<GoRuntimeOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...options.jsonData, ...patch } });
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const pprof = jsonData.mode === 'pprof';

  return (
    <Stack direction="column" gap={2}>
      <FieldSet label="Connection">
        <Field label="Mode">
          <RadioButtonGroup options={MODES} value={jsonData.mode} onChange={(mode) => setJson({ mode })} />
        </Field>
        <Field
          label="URL"
          description={
            pprof
              ? 'Base URL of the Go service (or gateway). Requests go through Grafana’s data proxy.'
              : 'Pyroscope base URL, e.g. http://pyroscope:4040'
          }
        >
          <Input
            aria-label="URL"
            value={options.url}
            placeholder={pprof ? 'http://checkout:6060' : 'http://pyroscope:4040'}
            onChange={(e) => onOptionsChange({ ...options, url: e.currentTarget.value, access: 'proxy' })}
          />
        </Field>
        {pprof && (
          <>
            <Field
              label="pprof path"
              description="Where net/http/pprof is mounted on the target"
              invalid={Boolean(pathProblem('pprof path', jsonData.pprofPath))}
              error={pathProblem('pprof path', jsonData.pprofPath)}
            >
              <Input
                aria-label="pprof path"
                value={jsonData.pprofPath}
                onChange={(e) => setJson({ pprofPath: e.currentTarget.value })}
              />
            </Field>
            <Field
              label="Flight recorder path"
              description="Optional: where the target serves a runtime/trace flight recorder snapshot, e.g. /debug/flightrecorder"
              invalid={Boolean(
                jsonData.flightRecorderPath && pathProblem('flight recorder path', jsonData.flightRecorderPath)
              )}
              error={
                jsonData.flightRecorderPath
                  ? pathProblem('flight recorder path', jsonData.flightRecorderPath)
                  : undefined
              }
            >
              <Input
                aria-label="Flight recorder path"
                value={jsonData.flightRecorderPath ?? ''}
                placeholder="(none)"
                onChange={(e) => setJson({ flightRecorderPath: e.currentTarget.value })}
              />
            </Field>
            <Field
              label="Path prefix (gateways)"
              description="Placed before the pprof path; ${instance} is filled from each query, e.g. /pods/${instance}"
              invalid={Boolean(pathProblem('path prefix', jsonData.pathPrefix))}
              error={pathProblem('path prefix', jsonData.pathPrefix)}
            >
              <Input
                aria-label="Path prefix"
                value={jsonData.pathPrefix}
                placeholder="(none)"
                onChange={(e) => setJson({ pathPrefix: e.currentTarget.value })}
              />
            </Field>
          </>
        )}
        {!pprof && (
          <Field
            label="Tenant"
            description="X-Scope-OrgID for a multi-tenant Pyroscope; stored as a secret header, sent by the data proxy"
          >
            <SecretInput
              aria-label="Tenant"
              isConfigured={isHeaderConfigured(options, TENANT_HEADER)}
              placeholder="(single tenant)"
              onChange={(e) => onOptionsChange(setHeaderValue(options, TENANT_HEADER, e.currentTarget.value))}
              onReset={() => onOptionsChange(resetHeaderValue(options, TENANT_HEADER))}
            />
          </Field>
        )}
      </FieldSet>

      <FieldSet label="Authentication">
        <Field label="Basic auth">
          <InlineSwitch
            aria-label="Basic auth"
            value={options.basicAuth}
            onChange={(e) => onOptionsChange({ ...options, basicAuth: e.currentTarget.checked })}
          />
        </Field>
        {options.basicAuth && (
          <Stack direction="row" gap={1}>
            <Field label="User">
              <Input
                aria-label="User"
                value={options.basicAuthUser}
                onChange={(e) => onOptionsChange({ ...options, basicAuthUser: e.currentTarget.value })}
              />
            </Field>
            <Field label="Password">
              <SecretInput
                aria-label="Password"
                isConfigured={Boolean(options.secureJsonFields?.basicAuthPassword)}
                onChange={(e) =>
                  onOptionsChange({
                    ...options,
                    secureJsonData: { ...options.secureJsonData, basicAuthPassword: e.currentTarget.value },
                  })
                }
                onReset={() =>
                  onOptionsChange({
                    ...options,
                    secureJsonFields: { ...options.secureJsonFields, basicAuthPassword: false },
                    secureJsonData: { ...options.secureJsonData, basicAuthPassword: '' },
                  })
                }
              />
            </Field>
          </Stack>
        )}
        <CustomHeadersSettings dataSourceConfig={options} onChange={onOptionsChange} />
      </FieldSet>

      <FieldSet label="Limits">
        <Field
          label="Timeout (seconds)"
          description="How long Grafana’s data proxy waits for the target; live captures stay 2 s below it"
        >
          <Input
            aria-label="Timeout"
            type="number"
            width={12}
            value={options.jsonData.timeout ?? ''}
            placeholder="30"
            onChange={(e) => setJson({ timeout: number(e.currentTarget.value) })}
          />
        </Field>
        <Field label="Maximum profile size (MB)" description="Larger responses are rejected before decoding">
          <Input
            aria-label="Maximum profile size"
            type="number"
            width={12}
            value={options.jsonData.maxProfileBytes ? options.jsonData.maxProfileBytes / MB : ''}
            placeholder={String(DEFAULT_OPTIONS.maxProfileBytes / MB)}
            onChange={(e) =>
              setJson({
                maxProfileBytes:
                  number(e.currentTarget.value) !== undefined
                    ? Math.round(Number(e.currentTarget.value) * MB)
                    : undefined,
              })
            }
          />
        </Field>
        {pprof ? (
          <Field
            label="CPU capture seconds"
            description="Longest live CPU or delta capture; a dashboard range ending now is captured up to this length"
          >
            <Input
              aria-label="CPU capture seconds"
              type="number"
              width={12}
              value={options.jsonData.defaultCpuSeconds ?? ''}
              placeholder={String(DEFAULT_OPTIONS.defaultCpuSeconds)}
              onChange={(e) => setJson({ defaultCpuSeconds: number(e.currentTarget.value) })}
            />
          </Field>
        ) : (
          <Field
            label="Parallel bucket requests"
            description="Concurrent Pyroscope requests for time-bucketed queries (goroutine states, CPU split)"
          >
            <Input
              aria-label="Parallel bucket requests"
              type="number"
              width={12}
              value={options.jsonData.bucketConcurrency ?? ''}
              placeholder={String(DEFAULT_OPTIONS.bucketConcurrency)}
              onChange={(e) => setJson({ bucketConcurrency: number(e.currentTarget.value) })}
            />
          </Field>
        )}
      </FieldSet>
    </Stack>
  );
}
