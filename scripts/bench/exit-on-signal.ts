// Preloaded (`node --import`) into a profiled Nectr by `npm run bench`: SIGUSR2 makes the process
// exit normally, so `--cpu-prof` writes its profile (a process killed by a signal writes none, and
// Nest's shutdown hooks re-raise SIGTERM after closing).
process.on('SIGUSR2', () => process.exit(0));
export {};
