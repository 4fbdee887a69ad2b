import React, { useState } from 'react';
import { Combobox, ComboboxOption, Input, Stack } from '@grafana/ui';

import { parseMatchers, removeMatcher, setMatcher } from '../../query/labelSelector';

interface Props {
  value: string;
  onChange: (selector: string) => void;
  /** Label names and values from Pyroscope (LabelNames / LabelValues), scoped by the current selector. */
  loadNames: (selector: string) => Promise<string[]>;
  loadValues: (name: string, selector: string) => Promise<string[]>;
  invalid?: boolean;
}

const asOptions = (list: string[], typed: string) =>
  list
    .filter((v) => v.toLowerCase().includes(typed.toLowerCase()))
    .map((v): ComboboxOption => ({ label: v, value: v }));

/**
 * The selector as text (anything Pyroscope accepts, variables included), plus a label picker and a value picker
 * fed by Pyroscope's LabelNames/LabelValues: choosing a value sets `label="value"` in the selector.
 */
export function LabelSelectorField({ value, onChange, loadNames, loadValues, invalid }: Props) {
  const [text, setText] = useState(value);
  const [label, setLabel] = useState<string | null>(null);
  const current = parseMatchers(value);
  return (
    <Stack direction="column" gap={1}>
      <Input
        aria-label="Label selector"
        value={text}
        invalid={invalid}
        placeholder='{service_name="checkout"}'
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={() => text !== value && onChange(text)}
      />
      <Stack direction="row" gap={1}>
        <Combobox
          aria-label="Label name"
          placeholder="label"
          width={24}
          value={label}
          isClearable
          createCustomValue
          options={async (typed) => asOptions(await loadNames(value), typed)}
          onChange={(o) => setLabel(o ? String(o.value) : null)}
        />
        <Combobox
          aria-label="Label value"
          placeholder={label ? `value of ${label}` : 'choose a label first'}
          width={32}
          disabled={!label}
          value={current.find((m) => m.name === label)?.value ?? null}
          isClearable
          createCustomValue
          options={async (typed) => (label ? asOptions(await loadValues(label, value), typed) : [])}
          onChange={(o) => {
            if (label) {
              // A chosen value sets `label="value"`; clearing it removes the label's matcher.
              const next = o ? setMatcher(value, label, String(o.value)) : removeMatcher(value, label);
              setText(next);
              onChange(next);
            }
          }}
        />
      </Stack>
    </Stack>
  );
}
