// A Playwright browser server (what a browser grid offers), started by the fleet tests on loopback:
// npm playwright-core's launchServer with the system's Chromium.
//
// Input (argv[2], JSON): {executablePath, host?}. Prints one JSON line, {"wsEndpoint": "ws://…"},
// once the server listens; runs until killed (SIGTERM closes the browser; SIGKILL is how a test
// makes an endpoint die mid-fleet).
import { chromium } from 'playwright-core';

const input = JSON.parse(process.argv[2] || '{}');
const server = await chromium.launchServer({
  executablePath: input.executablePath,
  host: input.host || '127.0.0.1',
  port: 0,
  headless: true,
  chromiumSandbox: false,
  args: ['--disable-dev-shm-usage'],
});
process.stdout.write(JSON.stringify({ wsEndpoint: server.wsEndpoint(), pid: server.process().pid }) + '\n');
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
