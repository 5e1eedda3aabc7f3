/**
 * The Actions cache service (v2) as @actions/cache 6 speaks to it: Twirp over JSON under
 * `/twirp/github.actions.results.api.v1.CacheService/` (CreateCacheEntry, FinalizeCacheEntryUpload,
 * GetCacheEntryDownloadURL), the archive upload the storage SDK sends to the signed URL (one `PUT` with
 * `x-ms-blob-type: BlockBlob` for archives under 128 MiB), and the download of `/cache-archive/…`.
 * Its requests are counted in `requests`, apart from the REST API's: they are not GitHub's REST budget.
 */
import type http from 'node:http'

const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/'
const ARCHIVE = /^\/cache-archive\/(\d+)\/archive$/

export interface CacheEntry {
  id: number
  key: string
  /** The hash of paths and compression; undefined (an entry added by a test) matches any version. */
  version: string | undefined
  archive: Buffer | null
  created: number
  finalized: boolean
  /** Finalization order: the newest entry is the one finalized last. */
  order: number
}

export interface CacheRequest {
  method: string
  path: string
  status: number
}

export class CacheService {
  readonly entries: CacheEntry[] = []
  readonly requests: CacheRequest[] = []
  private nextId = 1

  constructor(
    private readonly baseUrl: () => string,
    private readonly knownToken: (token: string) => boolean,
  ) {}

  /** A finalized entry with no archive (enough for lookups), newest last. */
  add(key: string): void {
    this.entries.push({
      id: this.nextId++,
      key,
      version: undefined,
      archive: null,
      created: Date.now(),
      finalized: true,
      order: this.nextId,
    })
  }

  /** Finalized entries whose key starts with `prefix`, oldest first. */
  saved(prefix = ''): CacheEntry[] {
    return this.entries
      .filter((e) => e.finalized && e.key.startsWith(prefix))
      .sort((a, b) => a.order - b.order)
  }

  handles(pathname: string): boolean {
    return pathname.startsWith(TWIRP) || pathname.startsWith('/cache-archive/')
  }

  async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    pathname: string,
    body: Buffer,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const reply = (status: number, payload?: unknown, raw?: Buffer): void => {
      this.requests.push({ method, path: pathname, status })
      const bytes = raw ?? (payload === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(payload)))
      res.writeHead(status, {
        'content-type': raw ? 'application/octet-stream' : 'application/json',
        'content-length': String(bytes.length),
      })
      res.end(bytes)
    }
    const archive = ARCHIVE.exec(pathname)
    if (archive) {
      // The signed URL is the credential: no Authorization header, as with the real storage.
      const entry = this.entries.find((e) => e.id === Number(archive[1]))
      if (!entry) return reply(404, { message: 'BlobNotFound' })
      if (method === 'PUT' && !entry.finalized && req.headers['x-ms-blob-type'] === 'BlockBlob') {
        entry.archive = body
        return reply(201)
      }
      if (method === 'GET' && entry.finalized && entry.archive) return reply(200, undefined, entry.archive)
      return reply(400, { message: 'InvalidOperation' })
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (!token || !this.knownToken(token))
      return reply(401, { code: 'unauthenticated', msg: 'Bad credentials' })
    let input: Record<string, unknown>
    try {
      input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>
    } catch {
      return reply(400, { code: 'malformed', msg: 'bad JSON' })
    }
    const key = String(input.key ?? '')
    const version = input.version === undefined ? undefined : String(input.version)
    const sameVersion = (e: CacheEntry): boolean =>
      e.version === undefined || version === undefined || e.version === version
    switch (pathname.slice(TWIRP.length)) {
      case 'CreateCacheEntry': {
        if (this.entries.some((e) => e.key === key && e.version === version)) {
          return reply(200, { ok: false, message: `cache entry ${key} already exists` })
        }
        const entry: CacheEntry = {
          id: this.nextId++,
          key,
          version,
          archive: null,
          created: Date.now(),
          finalized: false,
          order: 0,
        }
        this.entries.push(entry)
        return reply(200, { ok: true, signed_upload_url: this.archiveUrl(entry) })
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = this.entries.find((e) => e.key === key && e.version === version && !e.finalized)
        if (!entry?.archive) return reply(200, { ok: false, message: `no upload for ${key}` })
        entry.finalized = true
        entry.created = Date.now()
        entry.order = this.nextId++
        return reply(200, { ok: true, entry_id: String(entry.id) })
      }
      case 'GetCacheEntryDownloadURL': {
        // An exact match on the primary key (case-insensitive), else the newest entry under a restore key.
        const restoreKeys = Array.isArray(input.restore_keys) ? input.restore_keys.map(String) : []
        const newest = this.entries
          .filter((e) => e.finalized && sameVersion(e))
          .sort((a, b) => b.order - a.order)
        const matched =
          newest.find((e) => e.key.toLowerCase() === key.toLowerCase()) ??
          restoreKeys.map((prefix) => newest.find((e) => e.key.startsWith(prefix))).find(Boolean)
        return reply(
          200,
          matched
            ? { ok: true, signed_download_url: this.archiveUrl(matched), matched_key: matched.key }
            : { ok: false },
        )
      }
      default:
        return reply(404, { code: 'bad_route', msg: `no handler for ${pathname}` })
    }
  }

  private archiveUrl(entry: CacheEntry): string {
    return `${this.baseUrl()}/cache-archive/${entry.id}/archive?sig=local`
  }
}
