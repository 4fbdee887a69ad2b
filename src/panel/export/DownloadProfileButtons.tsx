import React, { useState } from 'react';
import type { DataFrame } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { Button } from '@grafana/ui';

import { type ExportRef, exportRefs, isProfileExporter } from '../../frames';
import { downloadBytes } from './exportActions';

async function download(ref: ExportRef): Promise<string> {
  const datasource = await getDataSourceSrv().get({ uid: ref.datasourceUid });
  const exported = isProfileExporter(datasource) ? await datasource.exportProfile(ref.key) : undefined;
  if (!exported) {
    return 'This profile is no longer kept (newer queries replaced it): refresh and download again.';
  }
  downloadBytes(exported.fileName, exported.bytes, 'application/gzip');
  return `Downloaded ${exported.fileName} (${exported.bytes.length.toLocaleString('en-US')} bytes).`;
}

/**
 * "Download profile" for the flame graph on screen: the exact pprof it is drawn from (the capture, or the window
 * merged from several; for a diff also the baseline), as a gzipped file for `go tool pprof`. Nothing when the
 * frame does not name its profile.
 */
export function DownloadProfileButtons({ frame }: { frame?: DataFrame }) {
  const [status, setStatus] = useState('');
  const refs = exportRefs(frame);
  const buttons = [
    { ref: refs.profile, label: refs.baseline ? 'Download comparison' : 'Download profile' },
    { ref: refs.baseline, label: 'Download baseline' },
  ].filter((b): b is { ref: ExportRef; label: string } => b.ref !== undefined);
  if (buttons.length === 0) {
    return null;
  }
  const onClick = (ref: ExportRef) =>
    download(ref).then(setStatus, (e: unknown) =>
      setStatus(`Download failed: ${e instanceof Error ? e.message : String(e)}`)
    );
  return (
    <>
      {buttons.map(({ ref, label }) => (
        <Button
          key={ref.key}
          size="sm"
          variant="secondary"
          fill="outline"
          icon="download-alt"
          tooltip={`${ref.fileName}: the profile this flame graph is drawn from, as a gzipped pprof file for go tool pprof`}
          onClick={() => onClick(ref)}
          data-testid="goruntime-download-profile"
        >
          {label}
        </Button>
      ))}
      <span
        role="status"
        aria-live="polite"
        style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}
      >
        {status}
      </span>
    </>
  );
}
