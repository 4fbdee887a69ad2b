/**
 * Runs the page's analysis in steps (read each input, then analyse), letting the browser paint the status between
 * them, so the tab shows what it is doing instead of freezing silently on a large profile. Newer inputs or options
 * cancel older runs.
 */
import { useEffect, useState } from 'react';

import { analyzeInputs, type AnalysisOptions, type AnalysisView } from './analysis';
import { readInput, UnreadableInputError, type LoadedInput, type RawInput } from './readInput';

export interface AnalysisState {
  phase: 'idle' | 'working' | 'done' | 'error';
  /** One sentence for the live region: what is being done, or what was found. */
  status: string;
  inputs: LoadedInput[];
  /** One message per input that could not be read, or the analysis failure. */
  errors: string[];
  view?: AnalysisView;
}

const IDLE: AnalysisState = { phase: 'idle', status: 'No input yet.', inputs: [], errors: [] };

/** Resolves after the browser has had a chance to paint (a frame), or soon when frames are paused (hidden tab). */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    const fallback = setTimeout(done, 50);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        done();
      }, 0)
    );
  });
}

function size(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function useAnalysis(raw: readonly RawInput[], options: AnalysisOptions): AnalysisState {
  const [state, setState] = useState<AnalysisState>(IDLE);
  const [loaded, setLoaded] = useState<{ inputs: LoadedInput[]; errors: string[] }>();

  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (raw.length === 0) {
        setLoaded(undefined);
        setState(IDLE);
        return;
      }
      const inputs: LoadedInput[] = [];
      const errors: string[] = [];
      for (const input of raw) {
        setState({ ...IDLE, phase: 'working', status: `Reading ${input.name} (${size(input.bytes.length)})…` });
        await nextPaint();
        if (cancelled) {
          return;
        }
        try {
          inputs.push(readInput(input));
        } catch (error) {
          errors.push(error instanceof UnreadableInputError ? error.message : `${input.name}: ${message(error)}`);
        }
      }
      if (!cancelled) {
        setLoaded({ inputs, errors });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [raw]);

  const { sampleType, inverted, maxNodes } = options;
  useEffect(() => {
    if (!loaded) {
      return;
    }
    const { inputs, errors } = loaded;
    let cancelled = false;
    (async () => {
      if (inputs.length === 0) {
        setState({ ...IDLE, phase: 'error', status: `Could not read the input: ${errors.join('; ')}`, errors });
        return;
      }
      setState((s) => ({ ...s, phase: 'working', status: `Analysing ${inputs.map((i) => i.name).join(' and ')}…` }));
      await nextPaint();
      if (cancelled) {
        return;
      }
      try {
        const view = analyzeInputs(inputs, { sampleType, inverted, maxNodes });
        const found = view.findings.length
          ? `${view.findings.length} finding${view.findings.length === 1 ? '' : 's'}`
          : 'no finding';
        const what = view.comparison
          ? `Compared ${view.comparison.comparison} with the baseline ${view.comparison.baseline}`
          : `Analysed ${inputs.map((i) => i.name).join(' and ')}`;
        setState({
          phase: 'done',
          status: `${what}: ${found}${errors.length ? `; ${errors.length} input could not be read` : ''}.`,
          inputs,
          errors,
          view,
        });
      } catch (error) {
        const all = [...errors, `Analysis failed: ${message(error)}`];
        setState({ ...IDLE, phase: 'error', status: all.join('; '), inputs, errors: all });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [loaded, sampleType, inverted, maxNodes]);

  return state;
}
