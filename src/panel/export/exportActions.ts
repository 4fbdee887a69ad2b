/**
 * "Download the profile" and "copy as text", shared by the panel and the app's "Analyze a file" page: the profile
 * goes out as a gzipped pprof file `go tool pprof` opens (core/model/pprofEncode.ts), goroutine clusters as text a
 * user can paste into an issue (core/analysis/goroutines/clusterText.ts). Nothing leaves the browser except through
 * the user's own download or clipboard.
 */
import { clustersText, type ClusterTextInput, encodePprofGzip, type Profile } from '../../core';

/** Saves bytes as a file through the browser's download (an object URL on a temporary link). */
export function downloadBytes(fileName: string, bytes: Uint8Array, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL is released after the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads the profile as `fileName` (gzipped pprof); returns its size in bytes. */
export function downloadProfile(fileName: string, profile: Profile): number {
  const bytes = encodePprofGzip(profile);
  downloadBytes(fileName, bytes, 'application/gzip');
  return bytes.length;
}

/**
 * Copies text to the clipboard: the asynchronous Clipboard API where the page may use it (secure contexts), else the
 * older selection-and-copy command. Rejects when neither works, so the caller can offer the text another way.
 */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // permission refused or not focused: try the fallback below
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  // Grafana served over plain http (common inside companies) has no Clipboard API: the old command still works there.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) {
    throw new Error('the browser refused to copy to the clipboard');
  }
}

/** The panel's cluster rows (no stacks in the table) as text. */
export function clusterRowsText(
  rows: ReadonlyArray<{
    count: number;
    state: string;
    reason: string;
    function: string;
    creationSite: string;
    waitMinutesMax: number;
    waitMinutesMin?: number;
    leaked?: number;
  }>,
  title: string
): string {
  const clusters: ClusterTextInput[] = rows.map((r) => ({
    count: r.count,
    reason: r.reason,
    state: r.state,
    function: r.function,
    creationSite: r.creationSite,
    leaked: r.leaked,
    waitMinutes: r.waitMinutesMax > 0 ? { min: r.waitMinutesMin ?? r.waitMinutesMax, max: r.waitMinutesMax } : undefined,
  }));
  return clustersText(clusters, { title });
}
