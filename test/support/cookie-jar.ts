/** Just enough of a browser for redirect flows: cookies per host, and following redirects by hand. */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  header(url: string) {
    return [...(this.jars.get(new URL(url).host) ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(url: string, res: Response) {
    const jar = this.jars.get(new URL(url).host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired) jar.delete(pair.slice(0, eq).trim());
      else jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    this.jars.set(new URL(url).host, jar);
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.header(url) } });
    this.store(url, res);
    return res;
  }

  /** Follows redirects until a page answers; returns it with its address. */
  async follow(url: string, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
    let res = await this.fetch(url, init);
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 20; hops++) {
      url = new URL(res.headers.get('location')!, url).toString();
      res = await this.fetch(url);
    }
    return { res, url };
  }
}
