// The panel's options, rendered from the plugin's own `setPanelOptions` supplier with the standard editors, as
// Grafana's panel editor does. Changes go to the host's state and back into the panel as `options`.
import React, { useMemo } from 'react';
import { get, set, cloneDeep } from 'lodash';
import { PanelOptionsEditorBuilder, type DataFrame, type PanelPlugin } from '@grafana/data';
import { Alert, ErrorBoundaryAlert, Field } from '@grafana/ui';

interface Props {
  plugin: PanelPlugin;
  options: Record<string, unknown>;
  series: DataFrame[];
  onChange: (options: Record<string, unknown>) => void;
}

export function OptionsPane({ plugin, options, series, onChange }: Props) {
  const items = useMemo(() => {
    const builder = new PanelOptionsEditorBuilder<Record<string, unknown>>();
    plugin.getPanelOptionsSupplier()(builder, { data: series, options });
    return builder.getItems();
  }, [plugin, series, options]);

  if (items.length === 0) {
    return <Alert title="The panel declares no options" severity="info" />;
  }
  return (
    <div data-testid="panel-options">
      {items
        .filter((item) => !item.showIf || item.showIf(options, series))
        .map((item) => {
          const Editor = item.editor;
          return (
            <Field key={item.path} label={item.name} description={item.description}>
              <ErrorBoundaryAlert>
                <Editor
                  id={`option-${item.path}`}
                  value={get(options, item.path)}
                  item={item}
                  context={{ data: series, options }}
                  onChange={(value: unknown) => onChange(set(cloneDeep(options), item.path, value))}
                />
              </ErrorBoundaryAlert>
            </Field>
          );
        })}
    </div>
  );
}
