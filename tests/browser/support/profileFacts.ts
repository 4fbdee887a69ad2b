// Prints what the analysis core reads from pprof files, one JSON line per file: sample types, the total of each and
// the heaviest function of the default sample type. The browser tests compare a downloaded profile with its source
// through it (run with `node --import tsx`).
import { readFileSync } from 'fs';

import { topFunctions } from '../../../src/core/analysis/topTable';
import { parsePprof } from '../../../src/core/model/parsePprof';
import { sampleTotal } from '../../../src/core/model/profile';

for (const file of process.argv.slice(2)) {
  const profile = parsePprof(new Uint8Array(readFileSync(file)));
  console.log(
    JSON.stringify({
      file,
      sampleTypes: profile.sampleTypes.map((st) => st.type),
      totals: profile.sampleTypes.map((_, t) => sampleTotal(profile, t)),
      samples: profile.samples.count,
      top: topFunctions(profile, { limit: 1 }).rows[0]?.name,
    })
  );
}
