export declare const repoRoot: string;
export declare function ensureNodeModules(): void;
export declare function findPython(extraModules?: string[]): string | null;
export declare function ensureDebian(which: ('chromium' | 'python')[]): boolean;
export declare function packageVersion(): string;
