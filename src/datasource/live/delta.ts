/**
 * The difference of two cumulative profiles of one process (allocs, mutex, block, heap's alloc_* values): exactly
 * what happened between the two reads. net/http/pprof computes its `?seconds=N` deltas the same way, by scaling the
 * first read by -1 and merging it with the second (golang/go:src/net/http/pprof/pprof.go `serveDeltaProfile`), so
 * stored snapshots give the delta of any window between two of them without a long request.
 */
import { mergeProfiles, type Profile } from '../../core';

function negated(p: Profile): Profile {
  return { ...p, samples: { ...p.samples, values: p.samples.values.map((v) => -v) } };
}

/** The profile without the samples whose values are all zero (stacks that did nothing between the two reads). */
export function withoutZeroSamples(p: Profile): Profile {
  const S = p.samples;
  const stride = p.sampleTypes.length;
  const keep: number[] = [];
  for (let i = 0; i < S.count; i++) {
    for (let t = 0; t < stride; t++) {
      if (S.values[i * stride + t] !== 0) {
        keep.push(i);
        break;
      }
    }
  }
  if (keep.length === S.count) {
    return p;
  }
  const values = new Float64Array(keep.length * stride);
  const stackStart = new Uint32Array(keep.length + 1);
  const labelStart = new Uint32Array(keep.length + 1);
  const stack: number[] = [];
  const labelRows: number[] = [];
  keep.forEach((i, row) => {
    values.set(S.values.subarray(i * stride, (i + 1) * stride), row * stride);
    for (let k = S.stackStart[i]; k < S.stackStart[i + 1]; k++) {
      stack.push(S.stack[k]);
    }
    for (let l = S.labelStart[i]; l < S.labelStart[i + 1]; l++) {
      labelRows.push(l);
    }
    stackStart[row + 1] = stack.length;
    labelStart[row + 1] = labelRows.length;
  });
  const samples: Profile['samples'] = {
    count: keep.length,
    values,
    stackStart,
    stack: Uint32Array.from(stack),
    labelStart,
    labelKey: Uint32Array.from(labelRows, (l) => S.labelKey[l]),
    labelStr: Uint32Array.from(labelRows, (l) => S.labelStr[l]),
    labelNum: Float64Array.from(labelRows, (l) => S.labelNum[l]),
    labelUnit: Uint32Array.from(labelRows, (l) => S.labelUnit[l]),
  };
  return { ...p, samples };
}

/**
 * `later - earlier` for two reads of one cumulative profile, stamped with the span between them (ms since the
 * epoch, from the capture times when the profiles carry none).
 */
export function cumulativeDelta(later: Profile, earlier: Profile, span: { from: number; to: number }): Profile {
  const merged = withoutZeroSamples(mergeProfiles([later, negated(earlier)]));
  return {
    ...merged,
    timeNanos: BigInt(Math.round(span.from)) * BigInt(1_000_000),
    durationNanos: Math.max(0, span.to - span.from) * 1_000_000,
  };
}
