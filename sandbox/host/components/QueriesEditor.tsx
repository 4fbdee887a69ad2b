// The panel's queries, editable two ways: as the raw target JSON (handy to try a query type before its editor
// exists) and through the data source plugin's own QueryEditor, which Grafana shows in the panel editor.
import React, { useState } from 'react';
import { css } from '@emotion/css';
import { CoreApp, type DataSourceApi, type GrafanaTheme2, type PanelData, type TimeRange } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { Alert, Button, ErrorBoundaryAlert, Field, TextArea, useStyles2 } from '@grafana/ui';

interface Props {
  datasource: DataSourceApi;
  targets: DataQuery[];
  data: PanelData;
  range: TimeRange;
  onChange: (targets: DataQuery[]) => void;
  onRunQuery: () => void;
}

export function QueriesEditor({ datasource, targets, data, range, onChange, onRunQuery }: Props) {
  const styles = useStyles2(getStyles);
  const [text, setText] = useState(() => JSON.stringify(targets, null, 2));
  const [parseError, setParseError] = useState<string>();
  // Show targets changed elsewhere (the plugin's query editor); React's pattern for state derived from props.
  const [shownTargets, setShownTargets] = useState(targets);
  if (shownTargets !== targets) {
    setShownTargets(targets);
    setText(JSON.stringify(targets, null, 2));
  }
  const QueryEditor = datasource.components?.QueryEditor;

  const apply = () => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed) || parsed.some((t) => typeof t !== 'object' || t === null || typeof t.refId !== 'string')) {
        throw new Error('expected an array of queries, each with a string refId');
      }
      setParseError(undefined);
      onChange(parsed as DataQuery[]);
    } catch (e) {
      setParseError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className={styles.columns}>
      <div>
        <Field label="Targets (JSON)" description="What the panel sends in DataQueryRequest.targets. Apply re-runs the query." invalid={Boolean(parseError)} error={parseError}>
          <TextArea data-testid="targets-json" rows={12} value={text} onChange={(e) => setText(e.currentTarget.value)} className={styles.code} />
        </Field>
        <Button onClick={apply} data-testid="targets-apply">
          Apply
        </Button>
      </div>
      <div>
        <h4>Data source query editor</h4>
        {!QueryEditor && <Alert title="The data source plugin has no QueryEditor" severity="info" />}
        {QueryEditor &&
          targets.map((query, index) => (
            <div key={query.refId} className={styles.editor}>
              <div className={styles.refId}>{query.refId}</div>
              <ErrorBoundaryAlert>
                <QueryEditor
                  datasource={datasource}
                  query={query}
                  queries={targets}
                  data={data}
                  range={range}
                  app={CoreApp.PanelEditor}
                  onChange={(changed: DataQuery) => onChange(targets.map((t, i) => (i === index ? changed : t)))}
                  onRunQuery={onRunQuery}
                />
              </ErrorBoundaryAlert>
            </div>
          ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css({ display: 'grid', gridTemplateColumns: 'minmax(280px, 1fr) 2fr', gap: theme.spacing(3) }),
  code: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize }),
  editor: css({ borderLeft: `2px solid ${theme.colors.border.medium}`, paddingLeft: theme.spacing(1), marginBottom: theme.spacing(1) }),
  refId: css({ color: theme.colors.text.link, fontWeight: theme.typography.fontWeightMedium }),
});
