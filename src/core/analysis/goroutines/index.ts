/**
 * Goroutine analysis: snapshots from dumps and profiles, state inference, clustering, series and growth.
 * Layers: wire/goroutineDump*.ts (text grammar) → model/goroutine*.ts (validated snapshot, state groups) → here.
 */
export * from './cluster';
export * from './fromProfile';
export * from './fromStacks';
export * from './fromText';
export * from './inferState';
export * from './series';
