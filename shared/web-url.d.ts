// shared/ compiles with neither the DOM nor Node's types, so that nothing of one side can creep
// into code both sides run. The WHATWG URL is the one exception: Chromium and Node implement the
// same class. This declares the part of it that shared/ may use; add a member here only if both
// sides have it.
interface URLSearchParams {
  get(name: string): string | null;
  has(name: string): boolean;
}

interface URL {
  readonly hash: string;
  readonly host: string;
  readonly hostname: string;
  readonly href: string;
  readonly origin: string;
  readonly password: string;
  readonly pathname: string;
  readonly port: string;
  readonly protocol: string;
  readonly search: string;
  readonly searchParams: URLSearchParams;
  readonly username: string;
  toString(): string;
}

declare var URL: {
  prototype: URL;
  new (url: string, base?: string): URL;
};
