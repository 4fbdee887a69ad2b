// Grafana fills @grafana/data's `standardEditorsRegistry` at start-up with its option editors
// (public/app/core/components/OptionsUI/registry.tsx). PanelOptionsEditorBuilder looks editors up there by id the
// moment a plugin's `setPanelOptions` supplier runs (addRadio -> 'radio', ...), so without them even reading the
// panel's defaults throws. These are small editors with the same ids, built from @grafana/ui, for the option
// builder methods a panel can call.
import React from 'react';
import { standardEditorsRegistry, type SelectableValue, type StandardEditorProps, type StandardEditorsRegistryItem } from '@grafana/data';
import { Input, RadioButtonGroup, Select, Switch, TagsInput, TextArea, UnitPicker } from '@grafana/ui';

interface OptionsSettings {
  options?: Array<SelectableValue<unknown>>;
}

interface NumberSettings {
  min?: number;
  max?: number;
  step?: number;
  integer?: boolean;
  placeholder?: string;
}

interface TextSettings {
  placeholder?: string;
  useTextarea?: boolean;
  rows?: number;
}

function NumberEditor({ value, onChange, item, id }: StandardEditorProps<number, NumberSettings>) {
  const s = item.settings ?? {};
  return (
    <Input
      id={id}
      type="number"
      min={s.min}
      max={s.max}
      step={s.step ?? (s.integer ? 1 : 'any')}
      placeholder={s.placeholder}
      defaultValue={value ?? ''}
      onBlur={(e) => {
        const text = e.currentTarget.value;
        onChange(text === '' ? undefined : s.integer ? Math.round(Number(text)) : Number(text));
      }}
    />
  );
}

function TextEditor({ value, onChange, item, id }: StandardEditorProps<string, TextSettings>) {
  const s = item.settings ?? {};
  return s.useTextarea ? (
    <TextArea id={id} rows={s.rows ?? 4} placeholder={s.placeholder} defaultValue={value ?? ''} onBlur={(e) => onChange(e.currentTarget.value)} />
  ) : (
    <Input id={id} placeholder={s.placeholder} defaultValue={value ?? ''} onBlur={(e) => onChange(e.currentTarget.value)} />
  );
}

function BooleanEditor({ value, onChange, id }: StandardEditorProps<boolean>) {
  return <Switch id={id} value={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />;
}

function RadioEditor({ value, onChange, item }: StandardEditorProps<unknown, OptionsSettings>) {
  return <RadioButtonGroup value={value} options={item.settings?.options ?? []} onChange={(v) => onChange(v)} />;
}

function SelectEditor({ value, onChange, item, id }: StandardEditorProps<unknown, OptionsSettings>) {
  return <Select inputId={id} value={value} options={item.settings?.options ?? []} onChange={(v) => onChange(v.value)} />;
}

function MultiSelectEditor({ value, onChange, item, id }: StandardEditorProps<unknown[], OptionsSettings>) {
  return (
    <Select
      inputId={id}
      isMulti
      value={value ?? []}
      options={item.settings?.options ?? []}
      onChange={(v) => onChange((v as unknown as Array<SelectableValue<unknown>>).map((o) => o.value))}
    />
  );
}

function StringsEditor({ value, onChange }: StandardEditorProps<string[]>) {
  return <TagsInput tags={value ?? []} onChange={onChange} />;
}

function UnitEditor({ value, onChange }: StandardEditorProps<string>) {
  return <UnitPicker value={value} onChange={onChange} />;
}

function FieldNameEditor({ value, onChange, context, id }: StandardEditorProps<string>) {
  const names = [...new Set(context.data.flatMap((frame) => frame.fields.map((f) => f.name)))];
  return (
    <Select inputId={id} value={value} allowCustomValue isClearable options={names.map((name) => ({ label: name, value: name }))} onChange={(v) => onChange(v?.value)} />
  );
}

const editor = (id: string, name: string, component: StandardEditorsRegistryItem['editor']): StandardEditorsRegistryItem => ({
  id,
  name,
  editor: component,
});

/** Registers the editors once, before any plugin's option supplier runs. */
export function registerStandardEditors(): void {
  standardEditorsRegistry.setInit(() => [
    editor('number', 'Number', NumberEditor),
    editor('slider', 'Slider', NumberEditor),
    editor('text', 'Text', TextEditor),
    editor('strings', 'String array', StringsEditor),
    editor('boolean', 'Boolean', BooleanEditor),
    editor('radio', 'Radio', RadioEditor),
    editor('select', 'Select', SelectEditor),
    editor('multi-select', 'Multi select', MultiSelectEditor),
    editor('unit', 'Unit', UnitEditor),
    editor('color', 'Color', TextEditor),
    editor('field-name', 'Field name', FieldNameEditor),
    editor('timezone', 'Time zone', TextEditor),
    editor('dashboard-uid', 'Dashboard', TextEditor),
  ]);
}
