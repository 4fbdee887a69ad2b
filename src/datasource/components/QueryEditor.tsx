import React, { useMemo, useState } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import {
  Combobox,
  ComboboxOption,
  InlineField,
  InlineSwitch,
  Input,
  RadioButtonGroup,
  Stack,
  TagsInput,
  Text,
} from '@grafana/ui';

import type { GoRuntimeDataSource } from '../datasource';
import { migrateQuery } from '../query/migrate';
import { pprofFor, pprofProfile } from '../../core';
import { EditorField, editorFields, QUERY_TYPE_INFO, queryTypeInfo } from '../query/queryTypes';
import { validateQuery } from '../query/validate';
import type { GoRuntimeOptions, GoRuntimeQuery, QueryType } from '../types';
import { BaselineField } from './query/BaselineField';
import { LabelSelectorField } from './query/LabelSelectorField';

type Props = QueryEditorProps<GoRuntimeDataSource, GoRuntimeQuery, GoRuntimeOptions>;

const LABEL_WIDTH = 18;
const TYPE_OPTIONS: Array<ComboboxOption<QueryType>> = QUERY_TYPE_INFO.map((t) => ({
  label: t.label,
  value: t.value,
  description: t.description,
}));

function toNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/**
 * One editor for every query type: it shows the fields the type reads in the data source's mode
 * (query/queryTypes.ts), validates with the same function `query()` uses, and fills pickers from the target.
 */
export function QueryEditor({ datasource, query: saved, onChange, onRunQuery, range }: Props) {
  const query = useMemo(() => migrateQuery(saved), [saved]);
  const mode = datasource.mode;
  const problems = validateQuery(query, mode);
  const problem = (f: keyof GoRuntimeQuery) => problems.find((p) => p.field === f)?.message;
  const fields = new Set<EditorField>(
    editorFields(query, mode, /\$\{?instance\b/.test(datasource.target.options.pathPrefix))
  );
  const timeRange = range ? { start: range.from.valueOf(), end: range.to.valueOf() } : undefined;
  // Why a list (profiles, label names or values) is empty: shown under the editor instead of "No options found".
  const [listError, setListError] = useState<string>();
  const listed = <T,>(load: Promise<T[]>): Promise<T[]> =>
    load.then(
      (items) => {
        setListError(undefined);
        return items;
      },
      (e: unknown) => {
        setListError(e instanceof Error ? e.message : String(e));
        return [];
      }
    );
  const update = (patch: Partial<GoRuntimeQuery>, run = true) => {
    onChange({ ...query, ...patch });
    if (run && validateQuery({ ...query, ...patch }, mode).length === 0) {
      onRunQuery();
    }
  };
  const profile = query.profileType || queryTypeInfo(query.queryType).defaultProfile || (mode === 'pprof' ? 'cpu' : '');
  const pprofName = pprofProfile(profile) ? profile : pprofFor(profile)?.profile;
  const sampleTypes = (pprofName && pprofProfile(pprofName)?.sampleTypes) || [];

  const field = (
    name: EditorField,
    label: string,
    tooltip: string,
    control: React.ReactNode,
    key: keyof GoRuntimeQuery = name as keyof GoRuntimeQuery
  ) =>
    fields.has(name) && (
      <InlineField
        label={label}
        labelWidth={LABEL_WIDTH}
        tooltip={tooltip}
        invalid={Boolean(problem(key))}
        error={problem(key)}
      >
        <>{control}</>
      </InlineField>
    );
  const textInput = (key: 'focus' | 'ignore' | 'interval' | 'instance', placeholder: string, width = 32) => (
    <Input
      aria-label={key}
      width={width}
      placeholder={placeholder}
      defaultValue={query[key] ?? ''}
      onBlur={(e) => update({ [key]: e.currentTarget.value || undefined })}
    />
  );
  const numberInput = (key: 'maxNodes' | 'limit' | 'seconds', placeholder: string) => (
    <Input
      aria-label={key}
      type="number"
      width={16}
      placeholder={placeholder}
      defaultValue={query[key] ?? ''}
      onBlur={(e) => update({ [key]: toNumber(e.currentTarget.value) })}
    />
  );

  return (
    <Stack direction="column" gap={0.5}>
      <InlineField
        label="Query type"
        labelWidth={LABEL_WIDTH}
        invalid={Boolean(problem('queryType'))}
        error={problem('queryType')}
      >
        <Combobox
          aria-label="Query type"
          width={32}
          options={TYPE_OPTIONS}
          value={query.queryType ?? 'flamegraph'}
          onChange={(o) => update({ queryType: o.value })}
        />
      </InlineField>
      <Text color="secondary" variant="bodySmall">
        {queryTypeInfo(query.queryType).description}
      </Text>
      {listError && (
        <Text color="error" variant="bodySmall" data-testid="goruntime-editor-list-error">
          {listError}
        </Text>
      )}
      {field(
        'profileType',
        'Profile',
        mode === 'pprof'
          ? 'Profiles offered by the target (its /debug/pprof/ index)'
          : 'Profile types stored in Pyroscope (ProfileTypes)',
        <Combobox
          aria-label="Profile"
          width={48}
          createCustomValue
          value={query.profileType ?? null}
          placeholder={mode === 'pprof' ? 'cpu' : 'process_cpu:cpu:nanoseconds:cpu:nanoseconds'}
          options={async (typed) =>
            (await listed(datasource.profileTypeOptions(timeRange, query.instance)))
              .filter((o) => o.value.includes(typed))
              .map((o) => ({ label: o.label, value: o.value, description: o.description }))
          }
          onChange={(o) => update({ profileType: String(o.value), sampleType: undefined })}
        />
      )}
      {field(
        'sampleType',
        'Sample type',
        'Which value of the profile to show (for example alloc_space or inuse_objects)',
        <Combobox
          aria-label="Sample type"
          width={32}
          isClearable
          createCustomValue
          value={query.sampleType ?? null}
          placeholder={pprofName ? pprofProfile(pprofName)?.defaultSampleType : 'default'}
          options={sampleTypes.map((s) => ({ label: s, value: s }))}
          onChange={(o) => update({ sampleType: o ? String(o.value) : undefined })}
        />
      )}
      {field(
        'labelSelector',
        'Labels',
        'Pyroscope label selector; pick a label and a value to add a matcher',
        <LabelSelectorField
          value={query.labelSelector ?? '{}'}
          invalid={Boolean(problem('labelSelector'))}
          onChange={(labelSelector) => update({ labelSelector })}
          loadNames={(selector) => listed(datasource.labelNames(selector, timeRange))}
          loadValues={(name, selector) => listed(datasource.labelValues(name, selector, timeRange))}
        />
      )}
      {field(
        'instance',
        'Instance',
        'Value of ${instance} in the data source path prefix',
        textInput('instance', 'pod-1:6060', 24)
      )}
      {field(
        'seconds',
        'Capture seconds',
        'Live capture length; default: the dashboard range up to the data source maximum',
        numberInput('seconds', 'from range')
      )}
      {field(
        'maxNodes',
        'Max nodes',
        'Flame graph node budget; the rest folds into "other" nodes with exact totals',
        numberInput('maxNodes', '2048')
      )}
      {field(
        'focus',
        'Focus',
        'Keep stacks with a function matching this regular expression',
        textInput('focus', 'regexp, e.g. ^main\\.')
      )}
      {field(
        'ignore',
        'Ignore',
        'Drop stacks with a function matching this regular expression',
        textInput('ignore', 'regexp')
      )}
      {field(
        'inverted',
        'Bottom-up',
        'Callers view: functions where time is spent at the root',
        <InlineSwitch
          aria-label="Bottom-up"
          value={query.inverted ?? false}
          onChange={(e) => update({ inverted: e.currentTarget.checked })}
        />
      )}
      {field(
        'baseline',
        'Baseline',
        'What the window is compared with',
        <BaselineField
          value={query.baseline}
          invalid={Boolean(problem('baseline'))}
          optional={query.queryType === 'findings'}
          onChange={(baseline) => update({ baseline })}
        />
      )}
      {field(
        'groupBy',
        'Group by',
        'One series per value of these labels',
        <TagsInput
          tags={query.groupBy ?? []}
          onChange={(groupBy) => update({ groupBy })}
          placeholder="label, Enter"
          width={40}
        />
      )}
      {field(
        'aggregation',
        'Aggregation',
        'Sum of profiles per step, or their average',
        <RadioButtonGroup<'sum' | 'average'>
          options={[
            { label: 'Sum', value: 'sum' },
            { label: 'Average', value: 'average' },
          ]}
          value={query.aggregation ?? 'sum'}
          onChange={(aggregation) => update({ aggregation })}
        />
      )}
      {field('limit', 'Limit', 'Rows or series to keep', numberInput('limit', 'all'))}
      {field(
        'interval',
        'Interval',
        'Polling interval (live) or bucket width (Pyroscope), e.g. 10s',
        textInput('interval', 'auto', 12)
      )}
      {field(
        'stream',
        'Live',
        'Keep polling the target while the dashboard is open',
        <InlineSwitch
          aria-label="Live"
          value={query.stream ?? query.queryType === 'goroutineStates'}
          onChange={(e) => update({ stream: e.currentTarget.checked })}
        />
      )}
      {field(
        'traceSource',
        'Trace from',
        'A live trace?seconds=N capture, or the flight recorder snapshot (the seconds before now)',
        <RadioButtonGroup<'live' | 'flightRecorder'>
          options={[
            { label: 'Live capture', value: 'live' },
            { label: 'Flight recorder', value: 'flightRecorder' },
          ]}
          value={query.traceSource ?? 'live'}
          onChange={(traceSource) => update({ traceSource })}
        />
      )}
    </Stack>
  );
}
