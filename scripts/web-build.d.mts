/** Build the web apps when web/dist is missing or older than their sources. */
export function buildWebIfStale(root: string): void;
