// Types of reactVersion.js (plain CommonJS, shared by the server, the build scripts and the webpack config).
export declare const SUPPORTED_REACT: string[];
export declare function sandboxReact(env?: Record<string, string | undefined>): string;
export declare function hostBuildDir(react: string): string;
export declare function reactPackageDirs(
  react: string
): { react: string; 'react-dom': string; modules: string } | undefined;
