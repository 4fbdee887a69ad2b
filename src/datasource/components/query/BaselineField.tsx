import React from 'react';
import { Input, RadioButtonGroup, Stack } from '@grafana/ui';

import type { BaselineSpec } from '../../types';

interface Props {
  value: BaselineSpec | undefined;
  onChange: (baseline: BaselineSpec | undefined) => void;
  invalid?: boolean;
  /** Findings: a baseline is optional, so the first choice is "None" (no comparison) instead of the window before. */
  optional?: boolean;
}

const KINDS = [
  { label: 'Window before', value: 'before', description: 'The same-length window just before the dashboard range' },
  { label: 'Offset', value: 'offset', description: 'The same-length window this long before (1h, 1d, 7d)' },
  { label: 'Range', value: 'range', description: 'An absolute or relative range (now-2h to now-1h)' },
];

/** Baseline of a diff: the previous window, an offset, or a range. */
const OPTIONAL_KINDS = [
  { label: 'None', value: 'before', description: 'Findings of the window alone, without a baseline' },
  ...KINDS.slice(1),
];

export function BaselineField({ value, onChange, invalid, optional }: Props) {
  const kind = value?.kind ?? 'before';
  return (
    <Stack direction="row" gap={1} alignItems="center">
      <RadioButtonGroup
        options={optional ? OPTIONAL_KINDS : KINDS}
        value={kind}
        onChange={(k) =>
          onChange(
            k === 'offset'
              ? { kind: 'offset', offset: '1h' }
              : k === 'range'
                ? { kind: 'range', from: 'now-2h', to: 'now-1h' }
                : undefined
          )
        }
      />
      {value?.kind === 'offset' && (
        <Input
          aria-label="Baseline offset"
          width={12}
          invalid={invalid}
          defaultValue={value.offset}
          onBlur={(e) => onChange({ kind: 'offset', offset: e.currentTarget.value })}
        />
      )}
      {value?.kind === 'range' && (
        <>
          <Input
            aria-label="Baseline from"
            width={16}
            invalid={invalid}
            defaultValue={value.from}
            onBlur={(e) => onChange({ ...value, from: e.currentTarget.value })}
          />
          <Input
            aria-label="Baseline to"
            width={16}
            invalid={invalid}
            defaultValue={value.to}
            onBlur={(e) => onChange({ ...value, to: e.currentTarget.value })}
          />
        </>
      )}
    </Stack>
  );
}
