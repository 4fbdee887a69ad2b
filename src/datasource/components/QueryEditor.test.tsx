import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { GoRuntimeDataSource } from '../datasource';
import type { GoRuntimeQuery, TargetMode } from '../types';
import { QueryEditor } from './QueryEditor';

// Grafana's Combobox sizes its menu with canvas measureText; the scaffold's setup stubs getContext to nothing.
beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => ({
    measureText: (text: string) => ({ width: text.length * 7 }),
  })) as never;
});

function fakeDataSource(mode: TargetMode, pathPrefix = '') {
  return {
    mode,
    target: { options: { pathPrefix } },
    profileTypeOptions: jest.fn(async () => [{ label: 'cpu', value: 'cpu' }]),
    labelNames: jest.fn(async () => ['service_name', 'pod']),
    labelValues: jest.fn(async () => ['checkout']),
  } as unknown as GoRuntimeDataSource;
}

function renderEditor(query: Partial<GoRuntimeQuery>, mode: TargetMode = 'pprof', pathPrefix = '') {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor
      datasource={fakeDataSource(mode, pathPrefix)}
      query={{ refId: 'A', ...query }}
      onChange={onChange}
      onRunQuery={onRunQuery}
    />
  );
  return { onChange, onRunQuery };
}

describe('QueryEditor', () => {
  it('pprof flame graph: profile, sample type, capture and tree options; no label selector', () => {
    renderEditor({ queryType: 'flamegraph', profileType: 'heap' });
    for (const label of ['Profile', 'Sample type', 'Capture seconds', 'Max nodes', 'Focus', 'Ignore', 'Bottom-up']) {
      expect(screen.getByText(label)).toBeInTheDocument();
    }
    expect(screen.queryByText('Labels')).not.toBeInTheDocument();
    expect(screen.getByText(/Where time or memory goes/)).toBeInTheDocument();
  });

  it('Pyroscope goroutine states: label selector and interval, no live-only fields', () => {
    renderEditor({ queryType: 'goroutineStates' }, 'pyroscope');
    expect(screen.getByText('Labels')).toBeInTheDocument();
    expect(screen.getByText('Interval')).toBeInTheDocument();
    expect(screen.queryByText('Live')).not.toBeInTheDocument();
    expect(screen.queryByText('Capture seconds')).not.toBeInTheDocument();
  });

  it('shows the instance field only when the gateway prefix uses ${instance}', () => {
    renderEditor({ queryType: 'top' }, 'pprof', '/pods/${instance}');
    expect(screen.getByText('Instance')).toBeInTheDocument();
  });

  it('shows validation messages next to the field and does not run an invalid query', () => {
    const { onChange, onRunQuery } = renderEditor({ queryType: 'flamegraph', profileType: 'cpu' });
    fireEvent.blur(screen.getByLabelText('focus'), { target: { value: 'main.(' } });
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ focus: 'main.(' }));
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('runs the query after a valid change, saving the migrated shape', () => {
    const { onChange, onRunQuery } = renderEditor({ profile: 'heap' } as Partial<GoRuntimeQuery>);
    fireEvent.blur(screen.getByLabelText('maxNodes'), { target: { value: '512' } });
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      queryType: 'flamegraph',
      profileType: 'heap',
      schemaVersion: 2,
      maxNodes: 512,
    });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('edits the label selector as text', () => {
    const { onChange } = renderEditor(
      { queryType: 'flamegraph', profileType: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds', labelSelector: '{}' },
      'pyroscope'
    );
    const input = screen.getByLabelText('Label selector');
    fireEvent.change(input, { target: { value: '{service_name="checkout"}' } });
    fireEvent.blur(input);
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ labelSelector: '{service_name="checkout"}' }));
  });

  it('shows an error for a selector without braces', () => {
    renderEditor({ queryType: 'flamegraph', labelSelector: 'service_name="x"' }, 'pyroscope');
    expect(screen.getByText(/a label selector is written in braces/)).toBeInTheDocument();
  });
});
