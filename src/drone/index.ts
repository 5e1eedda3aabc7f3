// @actions/github picks the proxy (HTTPS_PROXY/NO_PROXY) for GITHUB_API_URL when it is loaded: name the API
// this plugin talks to before the process wiring (and with it the GitHub client) is loaded.
if (process.env.PLUGIN_GITHUB_API_URL && !process.env.GITHUB_API_URL) {
  process.env.GITHUB_API_URL = process.env.PLUGIN_GITHUB_API_URL
}
const { runPluginProcess } = await import('./process.js')

void runPluginProcess()
