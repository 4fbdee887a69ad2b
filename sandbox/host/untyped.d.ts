// Packages the host hands to plugins untouched (sharedModules.ts) without using their API, and that ship no types.
declare module 'd3';
declare module 'prismjs';
