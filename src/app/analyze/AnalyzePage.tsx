import React, { useCallback, useEffect, useId, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, Icon, RadioButtonGroup, useStyles2 } from '@grafana/ui';

import { ClustersList } from '../../panel/components/ClustersList';
import { FindingsList } from '../../panel/components/FindingsList';
import { FlameView, type FocusRequest } from '../../panel/components/flame/FlameView';
import { downloadProfile } from '../../panel/export/exportActions';
import type { PanelFinding } from '../../panel/findings/readFindings';
import { clustersText } from '../../core';
import { DEFAULT_MAX_NODES, type AnalysisView } from './analysis';
import { InputArea } from './InputArea';
import type { RawInput } from './readInput';
import { TopTable } from './TopTable';
import { useAnalysis } from './useAnalysis';

const MAX_INPUTS = 2;
/** Flame graph area: its header and toolbar, then one 24 px row per call depth, within these bounds. */
const FLAME_CHROME = 150;
const FLAME_ROW = 24;
const FLAME_HEIGHT = { min: 360, max: 900 };

function flameHeight(frame: AnalysisView['flame']): number {
  const levels = frame?.fields.find((f) => f.name === 'level')?.values as number[] | undefined;
  const depth = levels && levels.length ? Math.max(...levels) + 1 : 0;
  return Math.min(FLAME_HEIGHT.max, Math.max(FLAME_HEIGHT.min, FLAME_CHROME + depth * FLAME_ROW));
}

async function fromFile(file: File): Promise<RawInput> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { name: file.name, bytes, time: file.lastModified || Date.now(), timeKnown: file.lastModified > 0 };
}

function useElementWidth<T extends HTMLElement>(): [React.RefObject<T>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * "Analyze a file": a profile, a goroutine dump or crash output dropped or pasted here is decoded and analysed by the
 * same core as the data source, in this browser tab, and shown with the panel's own views.
 */
export function AnalyzePage() {
  const styles = useStyles2(getStyles);
  const [raw, setRaw] = useState<RawInput[]>([]);
  const [notice, setNotice] = useState<string>();
  const [sampleType, setSampleType] = useState<string>();
  const [inverted, setInverted] = useState(false);
  const analysis = useAnalysis(raw, { sampleType, inverted, maxNodes: DEFAULT_MAX_NODES });
  const baselineInput = useRef<HTMLInputElement>(null);
  const baselineId = useId();

  const replaceInputs = useCallback(async (next: Promise<RawInput[]>, extra?: string) => {
    const inputs = await next;
    setSampleType(undefined);
    setNotice(extra);
    setRaw(inputs);
  }, []);

  const onFiles = (files: File[]) =>
    replaceInputs(
      Promise.all(files.slice(0, MAX_INPUTS).map(fromFile)),
      files.length > MAX_INPUTS
        ? `${files.length} files were given: only the first two are used (${files[0].name} against the baseline ${files[1].name}).`
        : undefined
    );
  const onPaste = (text: string) =>
    replaceInputs(
      Promise.resolve([
        { name: 'pasted text', bytes: new TextEncoder().encode(text), time: Date.now(), timeKnown: false },
      ])
    );
  const onBaseline = (file: File) => replaceInputs(fromFile(file).then((b) => [raw[0], b]));

  return (
    <PluginPage subTitle="Drop or paste a pprof profile, a goroutine dump or Go crash output: flame graph, top functions, goroutine clusters and findings.">
      <div className={styles.page} data-testid="analyze-page">
        <p className={styles.privacy} data-testid="analyze-privacy">
          <Icon name="lock" aria-hidden /> Everything is computed in this browser tab: files are read locally and
          nothing is uploaded, not even to Grafana.
        </p>
        <InputArea onFiles={onFiles} onPaste={onPaste} busy={analysis.phase === 'working'} />

        {raw.length > 0 && (
          <div className={styles.inputsBar} data-testid="analyze-inputs">
            {raw.length === 2 ? (
              <span>
                Comparing <strong>{raw[0].name}</strong> (comparison) against <strong>{raw[1].name}</strong> (baseline:
                the second input).
              </span>
            ) : (
              <span>
                Input: <strong>{raw[0].name}</strong>
              </span>
            )}
            {raw.length === 2 && (
              <Button size="sm" variant="secondary" icon="exchange-alt" onClick={() => setRaw([raw[1], raw[0]])}>
                Swap comparison and baseline
              </Button>
            )}
            {raw.length === 2 && (
              <Button size="sm" variant="secondary" icon="times" onClick={() => setRaw([raw[0]])}>
                Remove the baseline
              </Button>
            )}
            {raw.length === 1 && (
              <>
                <label htmlFor={baselineId} className={styles.visuallyHidden}>
                  Baseline file to compare with
                </label>
                <input
                  id={baselineId}
                  ref={baselineInput}
                  type="file"
                  className={styles.visuallyHidden}
                  tabIndex={-1}
                  data-testid="analyze-baseline-input"
                  onChange={(e) => {
                    const file = e.currentTarget.files?.[0];
                    e.currentTarget.value = '';
                    if (file) {
                      onBaseline(file);
                    }
                  }}
                />
                <Button size="sm" variant="secondary" icon="code-branch" onClick={() => baselineInput.current?.click()}>
                  Compare with a baseline file…
                </Button>
              </>
            )}
            <Button size="sm" variant="secondary" fill="text" icon="trash-alt" onClick={() => setRaw([])}>
              Clear
            </Button>
          </div>
        )}

        <div role="status" aria-live="polite" className={styles.status} data-testid="analyze-status">
          {analysis.status}
        </div>
        {notice && <Alert severity="warning" title={notice} />}
        {analysis.errors.length > 0 && (
          <Alert severity="error" title="Could not read the input" data-testid="analyze-error">
            {analysis.errors.map((e, i) => (
              <div key={i}>{e}</div>
            ))}
          </Alert>
        )}
        {analysis.view && (
          <Results
            view={analysis.view}
            inverted={inverted}
            onInverted={setInverted}
            onSampleType={setSampleType}
          />
        )}
      </div>
    </PluginPage>
  );
}

interface ResultsProps {
  view: AnalysisView;
  inverted: boolean;
  onInverted: (on: boolean) => void;
  onSampleType: (type: string) => void;
}

function Results({ view, inverted, onInverted, onSampleType }: ResultsProps) {
  const styles = useStyles2(getStyles);
  const [flameBox, width] = useElementWidth<HTMLDivElement>();
  const [leftHeavy, setLeftHeavy] = useState(false);
  const [active, setActive] = useState<PanelFinding>();
  const [focus, setFocus] = useState<FocusRequest>();
  const [exportStatus, setExportStatus] = useState<string>();
  const height = flameHeight(view.flame);

  const onFinding = (f: PanelFinding) => {
    setActive(f);
    const stack = f.evidence.stacks?.[0];
    setFocus(stack && stack.length ? { title: f.title, stack } : undefined);
  };
  const download = (d: AnalysisView['downloads'][number]) => {
    const bytes = downloadProfile(d.fileName, d.profile);
    setExportStatus(`Downloaded ${d.fileName} (${bytes.toLocaleString('en-US')} bytes, gzipped pprof).`);
  };
  const clustersAsText = () => {
    const clusters = view.clusters!;
    return clustersText(
      clusters.rows.map((r) => r.cluster),
      { title: `Goroutine clusters of ${clusters.source}`, total: clusters.total }
    );
  };

  return (
    <div className={styles.results} data-testid="analyze-results">
      <ul className={styles.facts} aria-label="Inputs">
        {view.inputs.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {view.causes.map((cause) => (
        <Alert
          key={cause.input}
          severity="warning"
          title={`The program crashed: ${cause.message}`}
          data-testid="analyze-cause"
        >
          {cause.lines.length > 0 && <pre className={styles.causeLines}>{cause.lines.join('\n')}</pre>}
          <div>From {cause.input}.</div>
        </Alert>
      ))}
      {view.races.length > 0 && (
        <Alert severity="warning" title={`The race detector reported ${view.races.length} data race(s)`}>
          <ul className={styles.facts}>
            {view.races.map((race, i) => (
              <li key={i}>{race}</li>
            ))}
          </ul>
        </Alert>
      )}
      <div role="status" aria-live="polite" className={styles.status} data-testid="analyze-export-status">
        {exportStatus}
      </div>

      <section aria-labelledby="analyze-findings-heading">
        <h2 id="analyze-findings-heading" className={styles.heading}>
          Findings
        </h2>
        <FindingsList
          findings={view.findings}
          loading={false}
          notices={view.findingNotes}
          active={active}
          timeZone="browser"
          onSelect={onFinding}
          height={Math.min(420, 56 + view.findings.length * 96 + view.findingNotes.length * 20)}
        />
      </section>

      {view.flame && (
        <section aria-labelledby="analyze-flame-heading">
          <div className={styles.sectionHeader}>
            <h2 id="analyze-flame-heading" className={styles.heading}>
              {view.comparison ? 'Diff flame graph' : 'Flame graph'}
            </h2>
            {view.sampleTypes.length > 1 && (
              <RadioButtonGroup
                size="sm"
                aria-label="Sample type"
                options={view.sampleTypes.map((t) => ({ label: t, value: t }))}
                value={view.sampleType}
                onChange={onSampleType}
              />
            )}
            {view.downloads.map((d) => (
              <Button
                key={d.fileName + d.label}
                size="sm"
                variant="secondary"
                icon="download-alt"
                tooltip={`${d.fileName}: the profile as a gzipped pprof file, for go tool pprof`}
                onClick={() => download(d)}
              >
                {d.label}
              </Button>
            ))}
          </div>
          {view.comparison && (
            <p className={styles.note} data-testid="analyze-diff-note">
              Red: more in <strong>{view.comparison.comparison}</strong> (comparison); green: less than in{' '}
              <strong>{view.comparison.baseline}</strong> (baseline).
            </p>
          )}
          <div ref={flameBox} className={styles.flame} style={{ minHeight: height }}>
            {width > 0 && (
              <FlameView
                frame={view.flame}
                context={view.flameContext}
                loading={false}
                timeZone="browser"
                maxNodes={DEFAULT_MAX_NODES}
                leftHeavy={leftHeavy}
                inverted={inverted}
                onLeftHeavy={setLeftHeavy}
                onInverted={onInverted}
                focus={focus}
                onClearFocus={() => {
                  setFocus(undefined);
                  setActive(undefined);
                }}
                width={width}
                height={height}
              />
            )}
          </div>
        </section>
      )}

      {view.top && (
        <section aria-labelledby="analyze-top-heading">
          <h2 id="analyze-top-heading" className={styles.heading}>
            Top functions{view.comparison ? ` of ${view.comparison.comparison}` : ''}
          </h2>
          <TopTable top={view.top} />
        </section>
      )}

      {view.clusters && (
        <section aria-labelledby="analyze-clusters-heading">
          <h2 id="analyze-clusters-heading" className={styles.heading}>
            Goroutine clusters
          </h2>
          <ClustersList
            title={`${view.clusters.total.toLocaleString('en-US')} goroutines of ${view.clusters.source} in ${view.clusters.rows.length} clusters`}
            clusters={view.clusters.rows}
            note={view.clusters.note}
            maxHeight={520}
            copyText={clustersAsText}
          />
        </section>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), paddingBottom: theme.spacing(4) }),
  privacy: css({ margin: 0, color: theme.colors.text.secondary, display: 'flex', gap: theme.spacing(1) }),
  inputsBar: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  status: css({ color: theme.colors.text.secondary, minHeight: '1.5em' }),
  results: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(3) }),
  facts: css({ margin: 0, paddingLeft: theme.spacing(2), color: theme.colors.text.secondary }),
  heading: css({ fontSize: theme.typography.h4.fontSize, margin: 0 }),
  causeLines: css({ margin: theme.spacing(0, 0, 1), maxHeight: 200, overflow: 'auto' }),
  sectionHeader: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  }),
  note: css({ margin: theme.spacing(0, 0, 1), color: theme.colors.text.secondary }),
  flame: css({ width: '100%' }),
  visuallyHidden: css({
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0, 0, 0, 0)',
    whiteSpace: 'nowrap',
  }),
});
