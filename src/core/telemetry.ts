/**
 * Where a job's figures go besides the registry (docs/export.md): export targets and the alert webhook, parsed once
 * from the `export` / `alert-webhook` values every door accepts.
 */
import { redactSecrets } from './sanitize.js'

export type ExportKind = 'pushgateway' | 'otlp'

export interface ExportTarget {
  kind: ExportKind
  /** The endpoint without the `kind+` prefix: `http(s)://host:port[/path]`. */
  url: string
  /** The target as the user wrote it, credentials redacted: what messages name. */
  label: string
}

const TARGET = /^(pushgateway|otlp)\+(https?:\/\/.+)$/i

/** Targets are separated by commas, spaces or newlines; a value that is not a target is named, not fatal. */
export function parseExportTargets(value: string): { targets: ExportTarget[]; invalid: string[] } {
  const targets: ExportTarget[] = []
  const invalid: string[] = []
  for (const item of value.split(/[\s,]+/).filter(Boolean)) {
    const m = TARGET.exec(item)
    let url: URL | null = null
    try {
      url = m ? new URL(m[2] as string) : null
    } catch {
      url = null
    }
    if (!m || !url) {
      invalid.push(redactSecrets(item))
      continue
    }
    const label = redactSecrets(item)
    targets.push({
      kind: (m[1] as string).toLowerCase() as ExportKind,
      url: url.href.replace(/\/+$/, ''),
      label,
    })
  }
  return { targets, invalid }
}

/** One line for the export values that were not understood. */
export function invalidTargetsWarning(input: string, invalid: readonly string[]): string | null {
  if (!invalid.length) return null
  return `${input}: "${invalid.join('", "')}" is not an export target; use pushgateway+http(s)://HOST:PORT or otlp+http(s)://HOST:PORT.`
}

/** The alert webhook: an http(s) URL or nothing. Its label never shows the path (Slack's path is the secret). */
export function parseWebhook(value: string): { url: string; label: string } | null | 'invalid' {
  const v = value.trim()
  if (!v) return null
  try {
    const u = new URL(v)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'invalid'
    return { url: u.href, label: `${u.protocol}//${u.host}/…` }
  } catch {
    return 'invalid'
  }
}

/** A target that does not answer costs at most this (docs/export.md), as `max-wait` does for GitHub. */
export const DEFAULT_TELEMETRY_WAIT_SECONDS = 30

export interface TelemetryConfig {
  targets: ExportTarget[]
  webhook: { url: string; label: string } | null
  /** One line per value that was not understood (the door shows them as warnings; nothing fails). */
  warnings: string[]
}

/** The `export` and `alert-webhook` values of any door, with the names that door gives them. */
export function telemetryConfig(
  exportValue: string,
  webhookValue: string,
  names: { export: string; webhook: string },
): TelemetryConfig {
  const { targets, invalid } = parseExportTargets(exportValue)
  const warnings: string[] = []
  const bad = invalidTargetsWarning(names.export, invalid)
  if (bad) warnings.push(bad)
  const hook = parseWebhook(webhookValue)
  if (hook === 'invalid')
    warnings.push(
      `${names.webhook} is not an http(s) URL; no alert will be sent: set it to the incoming-webhook URL.`,
    )
  return { targets, webhook: hook === 'invalid' ? null : hook, warnings }
}

export function hasTelemetry(config: TelemetryConfig): boolean {
  return config.targets.length > 0 || config.webhook !== null
}
