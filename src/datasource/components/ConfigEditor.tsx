import React, { ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, Input, RadioButtonGroup } from '@grafana/ui';

import { DEFAULT_OPTIONS, GoRuntimeOptions, TargetMode } from '../types';

type Props = DataSourcePluginOptionsEditorProps<GoRuntimeOptions>;

const MODES: Array<{ label: string; value: TargetMode; description: string }> = [
  { label: 'Go pprof (live)', value: 'pprof', description: 'A Go service exposing net/http/pprof' },
  { label: 'Pyroscope (history)', value: 'pyroscope', description: 'Grafana Pyroscope continuous profiling' },
];

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = { ...DEFAULT_OPTIONS, ...options.jsonData };
  const setJson = (patch: Partial<GoRuntimeOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...options.jsonData, ...patch } });

  return (
    <>
      <Field label="Mode">
        <RadioButtonGroup options={MODES} value={jsonData.mode} onChange={(mode) => setJson({ mode })} />
      </Field>
      <Field label="URL" description="Base URL of the Go service (or Pyroscope). Requests go through Grafana's data proxy.">
        <Input
          value={options.url}
          placeholder="http://my-service:6060"
          onChange={(event: ChangeEvent<HTMLInputElement>) => onOptionsChange({ ...options, url: event.target.value })}
        />
      </Field>
      {jsonData.mode === 'pprof' && (
        <Field label="pprof path" description="Where net/http/pprof is mounted on the target">
          <Input
            value={jsonData.pprofPath}
            onChange={(event: ChangeEvent<HTMLInputElement>) => setJson({ pprofPath: event.target.value })}
          />
        </Field>
      )}
    </>
  );
}
