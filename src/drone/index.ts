import { runPluginProcess } from './process.js'

void runPluginProcess()
