import React, { useState } from 'react';
import { Button } from '@grafana/ui';

import type { ClusterRow } from '../../frames';
import { clusterRowsText, copyText } from './exportActions';

interface Props {
  clusters: readonly ClusterRow[];
  title: string;
  /** The text to copy; default the rows as they are (no stacks: the table has none). */
  text?: () => string;
}

/** "Copy as text": the clusters as plain text a user can paste into an issue or a chat. */
export function CopyClustersButton({ clusters, title, text }: Props) {
  const [status, setStatus] = useState('');
  const onClick = async () => {
    const content = text ? text() : clusterRowsText(clusters, title);
    try {
      await copyText(content);
      setStatus(`Copied ${clusters.length} clusters as text (${content.split('\n').length} lines).`);
    } catch (error) {
      setStatus(`Could not copy: ${error instanceof Error ? error.message : String(error)}.`);
    }
  };
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        fill="text"
        icon="copy"
        onClick={onClick}
        data-testid="goruntime-copy-clusters"
      >
        Copy as text
      </Button>
      <span role="status" aria-live="polite" data-testid="goruntime-copy-status">
        {status}
      </span>
    </>
  );
}
