/** `goprof`'s exit codes (see main.ts). */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_UNREACHABLE = 3;
