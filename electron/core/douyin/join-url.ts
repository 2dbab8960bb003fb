/** Appends an API path to a base URL, keeping any path prefix the base has (e.g. a proxy). */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}
