/** Path of google/pprof's large.cpu in the Go module cache, when it is there (see googleLargeCpu.mjs). */
export function googleLargeCpu(): string | undefined;
