// Scenario switches of the demo Go service, like a row of dashboard variables: each switch turns a runtime problem
// on or off in the running service (POST /demo/scenario/<name>?on=1).
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Switch, Tooltip, useStyles2 } from '@grafana/ui';

import type { Scenario } from '../hooks/useScenarios';

interface Props {
  scenarios: Scenario[];
  error?: string;
  onToggle: (name: string, on: boolean) => void;
}

export function ScenarioBar({ scenarios, error, onToggle }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <section className={styles.bar} aria-label="Demo scenarios">
      <span className={styles.label}>Scenarios</span>
      {scenarios.map((scenario) => (
        <Tooltip key={scenario.name} content={`${scenario.description} Expected finding: ${scenario.finding}.`} placement="bottom">
          <label className={scenario.on ? `${styles.chip} ${styles.on}` : styles.chip} data-testid={`scenario-${scenario.name}`}>
            <Switch value={scenario.on} onChange={(e) => onToggle(scenario.name, e.currentTarget.checked)} aria-label={scenario.name} />
            {scenario.name}
            {scenario.stats?.spawned ? <span className={styles.stat}>{scenario.stats.spawned} leaked</span> : null}
          </label>
        </Tooltip>
      ))}
      {error && (
        <Alert title="Demo service" severity="warning">
          {error}
        </Alert>
      )}
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1), padding: theme.spacing(1, 2) }),
  label: css({ color: theme.colors.text.secondary, marginRight: theme.spacing(1) }),
  chip: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    padding: theme.spacing(0.25, 1),
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.pill,
    fontSize: theme.typography.bodySmall.fontSize,
    cursor: 'pointer',
  }),
  on: css({ borderColor: theme.colors.warning.border, background: theme.colors.warning.transparent }),
  stat: css({ color: theme.colors.warning.text }),
});
