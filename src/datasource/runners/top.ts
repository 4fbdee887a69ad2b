/** `top`: flat and cumulative value per function over the window, as `go tool pprof -top` shows it. */
import { map } from 'rxjs';

import { topFunctions } from '../../core';
import { toTopFrame } from '../../frames';
import { grafanaUnit } from '../query/profileTypes';
import { frames, lazily, Runner } from './context';
import { analysedSampleType, perSnapshotNotice, windowProfile } from './windowProfile';

export const DEFAULT_TOP_ROWS = 50;

export const runTop: Runner = (ctx, query) =>
  frames(
    lazily(() =>
      windowProfile(ctx, query).pipe(
        map((wp) => {
          const custom = { source: wp.source, profile: wp.profileName, window: wp.window };
          if (!wp.profile) {
            const empty = toTopFrame([], 0, 'short', { refId: query.refId, custom });
            empty.meta = { ...empty.meta, notices: wp.noData ? [{ severity: 'info', text: wp.noData }] : undefined };
            return [empty];
          }
          const table = topFunctions(wp.profile, {
            sampleType: analysedSampleType(wp, query),
            focus: query.focus || undefined,
            ignore: query.ignore || undefined,
            limit: query.limit ?? DEFAULT_TOP_ROWS,
          });
          const frame = toTopFrame(table.rows, table.total, grafanaUnit(table.sampleType.unit), {
            refId: query.refId,
            custom: { ...custom, sampleType: table.sampleType.type, total: table.total, perSnapshot: wp.perSnapshot },
          });
          const notices = perSnapshotNotice(wp);
          if (notices.length) {
            frame.meta = { ...frame.meta, notices };
          }
          return [frame];
        })
      )
    )
  );
