import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, Field } from '@grafana/ui';

import type { GoRuntimeDataSource } from '../datasource';
import type { GoRuntimeOptions, GoRuntimeQuery } from '../types';

type Props = QueryEditorProps<GoRuntimeDataSource, GoRuntimeQuery, GoRuntimeOptions>;

const PROFILES = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate'].map((value) => ({
  label: value,
  value,
}));

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  return (
    <Field label="Profile">
      <Combobox
        options={PROFILES}
        value={query.profile ?? 'cpu'}
        onChange={(option) => {
          onChange({ ...query, profile: option.value });
          onRunQuery();
        }}
      />
    </Field>
  );
}
