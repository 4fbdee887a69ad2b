import React, { useId, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, Icon, TextArea, useStyles2 } from '@grafana/ui';

interface Props {
  /** Files chosen or dropped (any number; the page uses the first two). */
  onFiles: (files: File[]) => void;
  onPaste: (text: string) => void;
  busy: boolean;
}

/**
 * Where input comes in: a drop zone that is also reachable by keyboard (focus it, press Enter or Space to choose
 * files), a real button and labelled file input, and a text area for pasted dumps or crash output.
 */
export function InputArea({ onFiles, onPaste, busy }: Props) {
  const styles = useStyles2(getStyles);
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [text, setText] = useState('');
  const ids = { input: useId(), help: useId(), paste: useId() };
  const choose = () => fileInput.current?.click();

  return (
    <div className={styles.inputs}>
      <div
        className={cx(styles.dropZone, dragging && styles.dragging)}
        role="group"
        tabIndex={0}
        aria-label="Drop zone: drop a file here, or two to compare; press Enter to choose files"
        aria-describedby={ids.help}
        data-testid="analyze-drop-zone"
        onKeyDown={(e) => {
          if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
            e.preventDefault();
            choose();
          }
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const files = Array.from(e.dataTransfer.files);
          if (files.length) {
            onFiles(files);
          }
        }}
      >
        <Icon name="upload" size="xxl" aria-hidden />
        <div className={styles.dropTitle}>Drop a file here, or two to compare</div>
        <div id={ids.help} className={styles.help}>
          A pprof profile from any producer (Go, Pyroscope, Node, Python…; gzipped or not), a goroutine dump or Go
          crash output. With two files the first is compared against the second, the baseline.
        </div>
        <label htmlFor={ids.input} className={styles.visuallyHidden}>
          Profile or goroutine dump files
        </label>
        <input
          id={ids.input}
          ref={fileInput}
          type="file"
          multiple
          className={styles.visuallyHidden}
          tabIndex={-1}
          data-testid="analyze-file-input"
          onChange={(e) => {
            const files = Array.from(e.currentTarget.files ?? []);
            e.currentTarget.value = '';
            if (files.length) {
              onFiles(files);
            }
          }}
        />
        <Button icon="folder-open" variant="secondary" onClick={choose} disabled={busy}>
          Choose files…
        </Button>
      </div>
      <div className={styles.paste}>
        <Field
          label="Or paste text"
          description="A goroutine dump (debug=2 or debug=1) or crash output: panic, fatal error, SIGQUIT, test timeout."
          htmlFor={ids.paste}
        >
          <TextArea
            id={ids.paste}
            rows={7}
            value={text}
            spellCheck={false}
            className={styles.textarea}
            placeholder={'goroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d'}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && text.trim()) {
                e.preventDefault();
                onPaste(text);
              }
            }}
            data-testid="analyze-paste"
          />
        </Field>
        <Button icon="bolt" onClick={() => onPaste(text)} disabled={busy || !text.trim()} data-testid="analyze-paste-submit">
          Analyze pasted text
        </Button>
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  inputs: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(280px, 1fr) minmax(320px, 1fr)',
    gap: theme.spacing(2),
    [theme.breakpoints.down('md')]: { gridTemplateColumns: '1fr' },
  }),
  dropZone: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(3),
    textAlign: 'center',
    border: `2px dashed ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: 2 },
  }),
  dragging: css({ borderColor: theme.colors.primary.main, background: theme.colors.action.hover }),
  dropTitle: css({ fontSize: theme.typography.h5.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  help: css({ color: theme.colors.text.secondary, maxWidth: 520 }),
  paste: css({ display: 'flex', flexDirection: 'column', alignItems: 'flex-start' }),
  textarea: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize }),
  visuallyHidden: css({
    position: 'absolute',
    width: 1,
    height: 1,
    padding: 0,
    margin: -1,
    overflow: 'hidden',
    clip: 'rect(0, 0, 0, 0)',
    whiteSpace: 'nowrap',
    border: 0,
  }),
});
